import type { LocationTagsResponse } from '../../ghl/types.js';
import { path } from '../../http/ghl.js';
import { pollingTrigger } from '../../operations/define.js';

/** The hidden `tag_list` dropdown: `GET /locations/:locationId/tags` (the sub-account's tags, docs/ghl-api.md §2.25), one item per tag name. */

export const tagList = pollingTrigger({
  key: 'tag_list',
  endpoints: ['GET /locations/{locationId}/tags'],
  noun: 'Tag',
  label: 'Tag List',
  description: 'Triggers when a tag is added to the sub-account; lists tags for dropdowns.',
  hidden: true,
  inputFields: [],
  parse: () => ({}),
  perform: async ({ api, locationId }) => {
    const res = await api.get<LocationTagsResponse>(path`/locations/${locationId}/tags`);
    const seen = new Set<string>();
    const out: Array<{ id: string; name: string; tagId?: string }> = [];
    for (const t of res.data.tags ?? []) {
      const name = t.name?.trim();
      if (!name || seen.has(name)) continue;
      seen.add(name);
      out.push({ id: name, name, ...(t.id ? { tagId: t.id } : {}) });
    }
    return out.sort((a, b) => a.name.localeCompare(b.name));
  },
});
