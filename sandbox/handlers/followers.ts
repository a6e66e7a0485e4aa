/**
 * A contact's followers (contacts.json `add-followers-contact`, `remove-followers-contact`).
 */
import { contactOfPath, touchContact } from './contact-records.js';
import { bodyObj, stringsOf, type Handler, type HandlerResult, type HandlerCtx } from './context.js';

function addFollowers(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  const asked = [...new Set(stringsOf(bodyObj(ctx)['followers']))];
  const added = asked.filter((f) => !c.followers.includes(f));
  if (added.length) touchContact(ctx, c, () => (c.followers = [...c.followers, ...added]));
  return { status: 201, body: { followers: [...c.followers], followersAdded: added } };
}

function removeFollowers(ctx: HandlerCtx): HandlerResult {
  const c = contactOfPath(ctx);
  const asked = new Set(stringsOf(bodyObj(ctx)['followers']));
  const removed = c.followers.filter((f) => asked.has(f));
  if (removed.length) touchContact(ctx, c, () => (c.followers = c.followers.filter((f) => !asked.has(f))));
  return { status: 200, body: { followers: [...c.followers], followersRemoved: removed } };
}

export const FOLLOWER_HANDLERS: Record<string, Handler> = {
  'contacts:add-followers-contact': addFollowers,
  'contacts:remove-followers-contact': removeFollowers,
};
