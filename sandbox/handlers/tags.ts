/**
 * A contact's tags (contacts.json `add-tags`, `remove-tags`) and the bulk tag update
 * (`create-association`, `POST /contacts/bulk/tags/update/{type}`, §2.24).
 * Section numbers (§) refer to docs/ghl-api.md.
 *
 * Bulk tags, behaviour GHL documents nowhere (sandbox assumptions, see sandbox/README.md): `type`
 * other than add/remove → 422; per contact, an id that is not 20 alphanumerics → "contact id is not
 * a valid firebase id", an unknown id → "contact is deleted", another location's contact →
 * "contact does not belong to location" (the messages of the spec's example).
 */
import { HttpError } from '../http/errors.js';
import { dedupeTags, getContact, touchContact } from './contact-records.js';
import { bodyObj, stringsOf, type Handler, type HandlerCtx, type HandlerResult, type Obj } from './context.js';

function addTags(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tags = (bodyObj(ctx)['tags'] as unknown[]) ?? [];
  const before = structuredClone(c);
  c.tags = dedupeTags([...c.tags, ...tags]);
  ctx.state.ensureTags(ctx.locationId, c.tags);
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
  // GHL also says which tags the call added (recorded: `[]` for a tag the contact had).
  const tagsAdded = c.tags.filter((t) => !before.tags.some((b) => b.toLowerCase() === t.toLowerCase()));
  return { status: 201, body: { tags: [...c.tags], tagsAdded } };
}

function removeTags(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const tags = ((bodyObj(ctx)['tags'] as unknown[]) ?? [])
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.trim().toLowerCase());
  const before = structuredClone(c);
  c.tags = c.tags.filter((t) => !tags.includes(t.toLowerCase()));
  c.dateUpdated = ctx.state.nowIso();
  ctx.state.touchSearchIndex(c.id, before);
  // GHL also says which tags the call removed (recorded: `[]` for a tag the contact did not have).
  const tagsRemoved = before.tags.filter((t) => !c.tags.includes(t));
  return { status: 200, body: { tags: [...c.tags], tagsRemoved } };
}

const FIREBASE_ID = /^[A-Za-z0-9]{20}$/;

function bulkTags(ctx: HandlerCtx): HandlerResult {
  const type = ctx.params['type'] ?? '';
  const b = bodyObj(ctx);
  if (type !== 'add' && type !== 'remove') {
    throw new HttpError(422, {
      statusCode: 422,
      message: ['type must be one of the following values: add, remove'],
      error: 'Unprocessable Entity',
    });
  }
  const removeAll = b['removeAllTags'] === true;
  if (removeAll && type !== 'remove') {
    throw new HttpError(422, {
      statusCode: 422,
      message: ['removeAllTags can only be used with remove type'],
      error: 'Unprocessable Entity',
    });
  }
  const tags = [...new Set(stringsOf(b['tags']).map((t) => t.trim()))];
  const responses: Obj[] = [];
  for (const id of stringsOf(b['contacts'])) {
    if (!FIREBASE_ID.test(id)) {
      responses.push({ contactId: id, message: 'contact id is not a valid firebase id', type: 'error' });
      continue;
    }
    const c = ctx.state.contacts.get(id);
    if (!c) {
      responses.push({ contactId: id, message: 'contact is deleted', type: 'error' });
      continue;
    }
    if (c.locationId !== ctx.locationId) {
      responses.push({ contactId: id, message: 'contact does not belong to location', type: 'error' });
      continue;
    }
    const oldTags = [...c.tags];
    const has = (t: string) => c.tags.some((x) => x.toLowerCase() === t.toLowerCase());
    let tagsAdded: string[] = [];
    let tagsRemoved: string[] = [];
    if (type === 'add') tagsAdded = tags.filter((t, i) => !has(t) && tags.findIndex((u) => u.toLowerCase() === t.toLowerCase()) === i);
    else tagsRemoved = removeAll ? oldTags : c.tags.filter((x) => tags.some((t) => t.toLowerCase() === x.toLowerCase()));
    if (tagsAdded.length || tagsRemoved.length) {
      touchContact(ctx, c, () => {
        c.tags = type === 'add' ? [...c.tags, ...tagsAdded] : c.tags.filter((x) => !tagsRemoved.includes(x));
      });
      if (tagsAdded.length) ctx.state.ensureTags(ctx.locationId, tagsAdded);
    }
    responses.push({ contactId: id, message: 'Tags updated', type: 'success', oldTags, tagsAdded, tagsRemoved });
  }
  const errorCount = responses.filter((r) => r['type'] === 'error').length;
  return { status: 201, body: { succeded: true, errorCount, responses } };
}

export const TAG_HANDLERS: Record<string, Handler> = {
  'contacts:add-tags': addTags,
  'contacts:remove-tags': removeTags,
  'contacts:create-association': bulkTags,
};
