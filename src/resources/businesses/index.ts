import type { ResourceOperations } from '../../operations/define.js';
import { findBusiness } from './find.js';
import { businessList, findContactsInBusiness } from './read.js';
import { createBusiness, updateBusiness } from './write.js';

/**
 * Businesses (GHL's company records, `openapi/apps/businesses.json`): the dropdown and Find
 * Contacts in Business (read.ts), Find Business by name (find.ts), Create and Update Business
 * (write.ts), and Find or Create Business, which maps e.g. each Ecwid customer group to one business.
 */
export const businessesOperations: ResourceOperations = {
  triggers: [businessList],
  searches: [findContactsInBusiness, findBusiness],
  creates: [createBusiness, updateBusiness],
};

export const businessSearchOrCreates = {
  find_business: {
    key: 'find_business',
    display: {
      label: 'Find or Create Business',
      description: 'Finds a business by name (letter case and spaces aside), or creates it if the sub-account has none.',
    },
    search: 'find_business',
    create: 'create_business',
  },
};
