import { search } from '../../operations/define.js';
import businessSample from '../../samples/business.json' with { type: 'json' };
import { BUSINESS_MAX_PAGES, BUSINESS_PAGE_SIZE, businessOutputFields, businessesNamed, toBusiness } from './shape.js';

/**
 * Find Business: GHL has no search for businesses by name, so the step reads the sub-account's
 * list (`GET /businesses/?locationId=`, 100 per page) and compares names with letter case and
 * spaces ignored. Several matches are flagged like Find Contact's: the oldest is returned with
 * Ambiguous = true and Match Count, so a Filter step can stop the Zap.
 */

export const BUSINESS_NAME_MAX = 200;

export const findBusiness = search({
  key: 'find_business',
  endpoints: ['GET /businesses/'],
  noun: 'Business',
  label: 'Find Business',
  description: 'Finds a business (company record) by its name, ignoring letter case and spaces.',
  inputFields: [
    {
      key: 'name',
      label: 'Business Name',
      required: true,
      helpText:
        'The name to look for, e.g. the Ecwid customer group (**Wholesale**). Letter case and spaces do not matter: "whole sale" finds "Wholesale". If several businesses have the name, the oldest is returned with **Ambiguous** = true. Nothing found is not an error.',
    },
  ],
  outputFields: [
    ...businessOutputFields,
    { key: 'matchCount', label: 'Match Count', type: 'integer' },
    { key: 'ambiguous', label: 'Ambiguous (Several Businesses Matched)', type: 'boolean' },
  ],
  sample: { ...businessSample, matchCount: 1, ambiguous: false },
  parse: (read) => ({ name: read.requiredText('name', { max: BUSINESS_NAME_MAX }) }),
  perform: async ({ z, api, locationId, input }) => {
    const found = await businessesNamed(z, api, locationId, input.name);
    const first = found[0];
    if (!first) return [];
    return [{ ...toBusiness(first), matchCount: found.length, ambiguous: found.length > 1 }];
  },
});

/** For docs and tests: how many businesses Find Business reads at most. */
export const FIND_BUSINESS_MAX = BUSINESS_MAX_PAGES * BUSINESS_PAGE_SIZE;
