/**
 * The demo's flow 2 and flow 1 on the polling triggers (recipes/demo/story.ts): the two Ecwid Zaps
 * switched on, a customer registers and is edited twice in the Ecwid store, each change runs flow 2
 * once (Zapier's replays change nothing), then flow 1 pulls the contact's profile after the access
 * token expired. Every id a step uses comes from the trigger's item or an earlier step's output.
 */
import { automationOf, SEED_WORKFLOWS } from '../../sandbox/state/automation.js';
import type { AutomationSettings } from '../ecwid-automation.js';
import type { RecipeSettings } from '../ecwid.js';
import { loadEcwidEvent } from '../ecwid.js';
import { HEARD_ABOUT_US, contactsWithEcwidId, customValue, ecwidId, tasksOf } from './helpers.js';
import type { DemoWorld } from './world.js';
import { profilePull, syncPolledCustomer } from '../flows.js';

/** Flow 2 as the shop builds it: the recipe's steps plus the optional welcome workflow. */
export const FLOW2_AUTOMATION: AutomationSettings = { welcomeWorkflowId: SEED_WORKFLOWS.welcome };

/** One poll of flow 2's trigger, then the steps once per new item, as Zapier runs them. */
const pollFlow2 = async (w: DemoWorld, settings: RecipeSettings) => {
  const items = await w.ecwidApp.poll('new_or_updated_customer');
  const runs = [];
  for (const item of items) runs.push(await syncPolledCustomer(w.zap, item, settings, FLOW2_AUTOMATION));
  w.printSteps();
  return { items, runs };
};

export const switchOnPollingZaps = async (w: DemoWorld) => {
  w.section('Switch on the two Zaps: flow 2 (New or Updated Customer) and flow 3 (Deleted Customer)');
  const onSync = await w.ecwidApp.poll('new_or_updated_customer');
  const onRemoval = await w.ecwidApp.poll('deleted_customer');
  w.printSteps();
  w.check(
    'poll',
    'the first poll after switch-on records the existing customers and runs no step',
    onSync.length === 0 && onRemoval.length === 0 && w.zap.steps.filter((s) => s.kind !== 'triggers').length === 0,
    `${w.ecwid.state.customers.size} customers already in the store`,
  );
};

/** Flow 2: a registration, a replay, two edits (one replayed); then flow 1 on the contact flow 2 wrote. */
export const runFlow2 = async (w: DemoWorld, settings: RecipeSettings, heardField: string) => {
  const { ghl, ecwid, zap, check, section } = w;
  const contactsBefore = ghl.state.contacts.size;
  const c = loadEcwidEvent('customer-created').customer!;
  const u = loadEcwidEvent('customer-updated').customer!;
  const bp = c.billingPerson ?? {};
  const jules = await w.inEcwid(() =>
    ecwid.state.register({
      email: c.email,
      firstName: bp.firstName,
      lastName: bp.lastName,
      phone: bp.phone,
      street: bp.street,
      city: bp.city,
      postalCode: bp.postalCode,
      stateOrProvinceCode: bp.stateOrProvinceCode,
      countryCode: bp.countryCode,
      acceptMarketing: c.acceptMarketing,
      extraFields: { [HEARD_ABOUT_US]: 'Instagram' },
    }),
  );
  const ecwidKey = String(jules.id);
  section(`Flow 2 — ${c.email} registers in the Ecwid store (customer #${ecwidKey}); the next poll runs the Zap`);
  const first = await pollFlow2(w, settings);
  const firstRun = first.runs[0];
  const contactId = String(firstRun?.contact.record.id);
  const ghlContact = ghl.state.contacts.get(contactId);
  check(
    'sync',
    'the poll hands on exactly the new customer',
    first.items.length === 1 && first.items[0]?.customerId === ecwidKey,
    first.items.map((i) => i.id).join(', '),
  );
  check(
    'sync',
    'a new GHL contact was created',
    firstRun?.contact.outcome === 'created' && ghl.state.contacts.size === contactsBefore + 1,
    `${ghlContact?.firstName} ${ghlContact?.lastName} <${ghlContact?.email}> ${ghlContact?.phone}`,
  );
  check(
    'sync',
    'the Ecwid customer id is stored in the "Ecwid Customer ID" custom field',
    String(ecwidId(ghl, settings.ecwidIdFieldId, contactId)) === ecwidKey,
  );
  check(
    'sync',
    'tags: ecwid-customer + the customer group',
    ['ecwid-customer', 'ecwid-group:General'].every((t) => ghlContact?.tags.includes(t)),
    ghlContact?.tags.join(', '),
  );
  const businessNamed = (name: string) => [...ghl.state.businesses.values()].filter((b) => b.name === name);
  const generalBusiness = businessNamed('General');
  check(
    'sync',
    'the contact is in the business of its Ecwid group: Find or Create Business created "General" once',
    firstRun?.business.outcome === 'created' && generalBusiness.length === 1 && ghlContact?.businessId === generalBusiness[0]?.id,
    ghl.state.businesses.get(String(ghlContact?.businessId))?.name,
  );
  check(
    'sync',
    `the answer to "${HEARD_ABOUT_US}" (an Ecwid extra field) is in the GHL custom field`,
    customValue(ghl, heardField, contactId) === 'Instagram',
    String(customValue(ghl, heardField, contactId)),
  );
  check('sync', 'one welcome task is attached', tasksOf(ghl, contactId).length === 1, tasksOf(ghl, contactId)[0]?.title);

  section('Flow 2 — the next poll sees the same customer again: nothing runs');
  const quiet = await pollFlow2(w, settings);
  check('poll', 'a poll with no change runs no step', quiet.items.length === 0);

  section('Flow 2 — Zapier replays the run (a user clicks "Replay" in the Zap history)');
  const snapshot = JSON.stringify([...ghl.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' })));
  const businessesBefore = ghl.state.businesses.size;
  const replay = await syncPolledCustomer(zap, first.items[0]!, settings, FLOW2_AUTOMATION);
  w.printSteps();
  check(
    'sync',
    'replay finds the contact instead of creating one',
    replay.contact.outcome === 'updated' && ghl.state.contacts.size === contactsBefore + 1,
  );
  check('sync', 'replay adds no task', tasksOf(ghl, contactId).length === 1);
  check(
    'sync',
    'replay finds the "General" business instead of creating one',
    replay.business.outcome === 'found' && ghl.state.businesses.size === businessesBefore,
  );
  check(
    'sync',
    'replay leaves the contact as it was',
    JSON.stringify([...ghl.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' }))) === snapshot,
  );
  const enrolments = automationOf(ghl.state).enrolments.filter((e) => e.contactId === contactId);
  check(
    'sync',
    'the contact is in the welcome workflow, enrolled once',
    automationOf(ghl.state).inWorkflows.get(contactId)?.has(SEED_WORKFLOWS.welcome) === true && enrolments.length === 1,
    `${String(firstRun?.workflow?.workflowName)}; ${enrolments.length} enrolment(s)`,
  );

  section(`Flow 2 — edit 1 in Ecwid: new address, group "${u.customerGroupName}"`);
  await w.inEcwid(() =>
    ecwid.state.edit(jules.id, {
      customerGroupId: u.customerGroupId,
      billingPerson: {
        street: u.billingPerson?.street,
        postalCode: u.billingPerson?.postalCode,
        companyName: u.billingPerson?.companyName,
      },
    }),
  );
  const edit1 = await pollFlow2(w, settings);
  const after = ghl.state.contacts.get(contactId);
  check(
    'sync',
    'edit 1 reaches GHL once and updates the same contact',
    edit1.runs.length === 1 && edit1.runs[0]?.contact.outcome === 'updated' && String(edit1.runs[0]?.contact.record.id) === contactId,
  );
  check(
    'sync',
    'address follows Ecwid',
    after?.address1 === u.billingPerson?.street && after?.postalCode === u.billingPerson?.postalCode,
    `${after?.address1}, ${after?.postalCode}`,
  );
  const groupTags = (after?.tags ?? []).filter((t) => t.toLowerCase().startsWith('ecwid-group:'));
  check(
    'sync',
    'the group tag is swapped: ecwid-group:General removed, ecwid-group:Wholesale added, other tags kept',
    groupTags.length === 1 && groupTags[0] === 'ecwid-group:Wholesale' && !!after?.tags.includes('ecwid-customer'),
    after?.tags.join(', '),
  );
  const wholesaleBusiness = businessNamed('Wholesale');
  check(
    'sync',
    'the contact moved to the business of its new group: "Wholesale", created once (the seed\'s "Maple & Rye Wholesale" is another name)',
    edit1.runs[0]?.business.outcome === 'created' && wholesaleBusiness.length === 1 && after?.businessId === wholesaleBusiness[0]?.id,
    ghl.state.businesses.get(String(after?.businessId))?.name,
  );

  section("Flow 2 — Zapier replays edit 1's run (General → Wholesale): nothing changes");
  const dataOf = () =>
    JSON.stringify([
      [...ghl.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' })),
      [...ghl.state.businesses.values()].map((b) => ({ ...b, updatedAt: '' })),
      [...ghl.state.tasks.values()].map((t) => ({ ...t, dateUpdated: '' })),
    ]);
  const beforeMoveReplay = dataOf();
  const moveReplay = await syncPolledCustomer(zap, edit1.items[0]!, settings, FLOW2_AUTOMATION);
  w.printSteps();
  const afterMoveReplay = ghl.state.contacts.get(contactId);
  check(
    'sync',
    'the replay finds the Wholesale business and the contact, the filter stops the tag swap, and the data is unchanged',
    moveReplay.business.outcome === 'found' &&
      moveReplay.contact.outcome === 'updated' &&
      moveReplay.groupTagRemoved.length === 0 &&
      dataOf() === beforeMoveReplay &&
      afterMoveReplay?.businessId === wholesaleBusiness[0]?.id &&
      (afterMoveReplay?.tags ?? []).filter((t) => t.toLowerCase().startsWith('ecwid-group:')).length === 1,
    `business ${ghl.state.businesses.get(String(afterMoveReplay?.businessId))?.name}; tags ${afterMoveReplay?.tags.join(', ')}`,
  );

  section('Flow 2 — edit 2 in Ecwid: new phone and city');
  await w.inEcwid(() => ecwid.state.edit(jules.id, { billingPerson: { phone: '+1 503 555 0199', city: 'Beaverton' } }));
  const edit2 = await pollFlow2(w, settings);
  const after2 = ghl.state.contacts.get(contactId);
  const edit2Steps = zap.steps.slice(zap.steps.findLastIndex((st) => st.kind === 'triggers'));
  check(
    'sync',
    'edit 2 keeps the group: the filter stops the swap, no tag is removed or added again',
    edit2Steps.some((st) => st.kind === 'filter' && (st.output as { pass?: boolean }).pass === false) &&
      !edit2Steps.some((st) => st.key === 'remove_tags_from_contact' || st.key === 'add_tags_to_contact') &&
      JSON.stringify(after2?.tags) === JSON.stringify(after?.tags),
    after2?.tags.join(', '),
  );
  check(
    'sync',
    'edit 2 reaches GHL once: phone and city follow Ecwid',
    edit2.runs.length === 1 && after2?.phone === '+15035550199' && after2?.city === 'Beaverton',
    `${after2?.phone}, ${after2?.city}`,
  );
  check(
    'sync',
    'register + two edits = three Zap runs, one contact, one welcome task',
    first.runs.length + edit1.runs.length + edit2.runs.length === 3 &&
      contactsWithEcwidId(ghl, settings.ecwidIdFieldId, ecwidKey).length === 1 &&
      tasksOf(ghl, contactId).length === 1,
  );

  // Flow 1 on the contact flow 2 wrote: Contact ← Find or Create Contact's id of edit 2's run.
  for (const record of ghl.state.accessTokens.values()) record.expiresAt = Date.now() - 1;
  const refreshTokenBefore = zap.authData.refresh_token;
  const profileOf = String(edit2.runs[0]?.contact.record.id);
  section(
    "Flow 1 — Find Contact by ID on the contact of edit 2's run (Contact ← Find or Create Contact's id); the access token has expired meanwhile",
  );
  w.log('   GHL access tokens last a day: the sandbox has just expired this one, so the first request gets a 401,');
  w.log('   the app refreshes once (GHL rotates the refresh token) and the step is retried.');
  const profile = await profilePull(zap, profileOf);
  w.printSteps();
  if (profile.found) w.log(`   key fields: ${JSON.stringify(profile.keyFields)}`);
  check(
    'connect',
    'the expired token was refreshed once and the rotated refresh token is the one kept',
    zap.refreshTokens.length === 2 &&
      zap.authData.refresh_token !== refreshTokenBefore &&
      zap.authData.refresh_token === zap.refreshTokens[1],
    `${zap.refreshTokens.length - 1} refresh`,
  );
  check(
    'profile',
    'profile has contactId, name, email, phone and mostRecentTask',
    profile.found &&
      profile.keyFields.contactId === contactId &&
      !!profile.keyFields.email &&
      !!profile.keyFields.phone &&
      profile.keyFields.mostRecentTask?.title === tasksOf(ghl, contactId)[0]?.title,
  );
  return { jules, ecwidKey, contactId, contactsBefore };
};

/** Flow 2 once more: a name of several words (Ecwid's own split would be "Mary" / "Berg"). */
export const registerMary = async (w: DemoWorld, settings: RecipeSettings, heardField: string) => {
  const { ghl, ecwid } = w;
  const mary = await w.inEcwid(() =>
    ecwid.state.register({
      email: 'mary.ann@example.com',
      name: 'Mary Ann van der Berg',
      countryCode: 'NL',
      extraFields: { [HEARD_ABOUT_US]: 'A friend' },
    }),
  );
  w.section(
    `Flow 2 — "Mary Ann van der Berg" registers (Ecwid's own first/last name: "${mary.billingPerson?.firstName}" / "${mary.billingPerson?.lastName}")`,
  );
  const maryRun = await pollFlow2(w, settings);
  const maryContact = ghl.state.contacts.get(String(maryRun.runs[0]?.contact.record.id));
  w.check(
    'sync',
    'a four-word name reaches GHL with every word: first name "Mary Ann", last name "van der Berg"',
    maryContact?.firstName === 'Mary Ann' && maryContact?.lastName === 'van der Berg',
    `${maryContact?.firstName} / ${maryContact?.lastName}`,
  );
  w.check(
    'sync',
    `her answer to "${HEARD_ABOUT_US}" is in the GHL custom field, and she has one group tag`,
    customValue(ghl, heardField, String(maryContact?.id)) === 'A friend' &&
      maryContact?.tags.filter((t) => t.startsWith('ecwid-group:')).join() === 'ecwid-group:General',
    `${String(customValue(ghl, heardField, String(maryContact?.id)))}; ${maryContact?.tags.join(', ')}`,
  );
  return mary;
};
