import { create, ghlApi, perform, rejectsWith } from '../helpers.js';

const CONTACT = 'nmFmQEsNgz6AVpgLVUJ0';
const DANA = 'usr0000000000000001';
const MARCUS = 'usr0000000000000002';

describe('Add Followers (add_followers)', () => {
  it('POSTs the de-duplicated user ids and returns all followers and the ones added', async () => {
    const scope = ghlApi()
      .post(`/contacts/${CONTACT}/followers`, { followers: [DANA, MARCUS] })
      .reply(201, { followers: [DANA, MARCUS], followersAdded: [MARCUS] });
    await expect(perform(create('add_followers'), { contactId: CONTACT, followers: [DANA, ` ${MARCUS} `, DANA, ''] })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      followers: [DANA, MARCUS],
      followersAdded: [MARCUS],
    });
    scope.done();
  });

  it('refuses an empty follower list before any request', async () => {
    await rejectsWith(
      perform(create('add_followers'), { contactId: CONTACT, followers: ['', ' '] }),
      'AppError',
      '"Followers" is required but was empty. Map a value to it in the Zap editor.',
    );
  });

  it('refuses a follower that is not a user id (e.g. a name mapped by mistake) before any request', async () => {
    await rejectsWith(
      perform(create('add_followers'), { contactId: CONTACT, followers: ['Dana Whitfield'] }),
      'AppError',
      '"Followers" must list GHL user ids (like "usr0000000000000001"), but one item is "Dana Whitfield". Pick users from the dropdown.',
    );
  });

  it('refuses more than 50 followers before any request', async () => {
    const many = Array.from({ length: 51 }, (_, i) => `usr${String(i).padStart(17, '0')}`);
    await rejectsWith(
      perform(create('add_followers'), { contactId: CONTACT, followers: many }),
      'AppError',
      '"Followers" has 51 users; send at most 50 in one step.',
    );
  });
});

describe('Remove Followers (remove_followers)', () => {
  it('DELETEs with a JSON body and returns the followers left and the ones removed', async () => {
    const scope = ghlApi()
      .matchHeader('content-type', 'application/json')
      .delete(`/contacts/${CONTACT}/followers`, { followers: [MARCUS] })
      .reply(200, { followers: [DANA], followersRemoved: [MARCUS] });
    await expect(perform(create('remove_followers'), { contactId: CONTACT, followers: MARCUS })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      followers: [DANA],
      followersRemoved: [MARCUS],
    });
    scope.done();
  });

  it('returns empty lists when GHL answers without them', async () => {
    const scope = ghlApi()
      .delete(`/contacts/${CONTACT}/followers`, { followers: [MARCUS] })
      .reply(200, {});
    await expect(perform(create('remove_followers'), { contactId: CONTACT, followers: [MARCUS] })).resolves.toEqual({
      id: CONTACT,
      contactId: CONTACT,
      followers: [],
      followersRemoved: [],
    });
    scope.done();
  });
});
