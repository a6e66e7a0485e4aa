/**
 * The main job (`npm run demo`): starts the GHL sandbox and the Ecwid sandbox in-process, connects
 * both apps through their own OAuth code, switches the flow 2 and flow 3 Zaps on (the Ecwid app's
 * New or Updated Customer and Deleted Customer triggers, polled with Zapier's dedupe semantics),
 * then makes a customer register, be edited twice and be deleted in the Ecwid store, runs the GHL
 * steps once per change, checks what GHL holds after each, and reports every step with its
 * request count. Customer data comes from fixtures/ecwid/. Then the instant variants: GHL's webhooks
 * (relay/demo.ts) and flows 2 and 3 from Ecwid's webhooks through the relay, timed per event
 * (recipes/ecwid-instant.ts); the polling flows above stay the no-setup alternative.
 */
import { implementedOperations, startSandbox } from '../sandbox/server.js';
import { loadEcwidEvent } from './ecwid.js';
import { startEcwidSandbox } from '../ecwid/sandbox/server.js';
import { GROUPS as ECWID_GROUPS } from '../ecwid/sandbox/state.js';
import { profilePull, removeDeletedCustomer, settingsFor, syncPolledCustomer } from './flows.js';
import { EcwidTriggerRunner, ZapRunner, type StepRecord } from './zap-runner.js';
import { runInstantZap } from '../relay/demo.js';
import { runEcwidInstant } from './ecwid-instant.js';
import { SEED_CAMPAIGNS, SEED_WORKFLOWS, automationOf } from '../sandbox/state/automation.js';
import { startWelcomeWorkflow, stopAutomations } from './ecwid-automation.js';
import {
  HEARD_ABOUT_US,
  addGhlCustomField,
  contactsWithEcwidId,
  customValue,
  ecwidId,
  short,
  summarize,
  tasksOf,
  withoutBlanks,
} from './demo-helpers.js';

export interface Check {
  flow: string;
  what: string;
  ok: boolean;
  detail?: string;
}

export interface DemoResult {
  ok: boolean;
  checks: Check[];
  steps: StepRecord[];
  requests: number;
  refreshes: number;
  connectionLabel: string;
}

type Log = (line?: string) => void;

export const runDemo = async (log: Log = () => undefined, options: { accessTokenTtlSeconds?: number } = {}): Promise<DemoResult> => {
  const sandbox = await startSandbox({ accessTokenTtlSeconds: options.accessTokenTtlSeconds });
  const ecwidSandbox = await startEcwidSandbox();
  const savedEnv = { ...process.env };
  const checks: Check[] = [];
  const zap = new ZapRunner(sandbox);
  const ecwid = new EcwidTriggerRunner(ecwidSandbox, zap);
  let printed = 0;
  const check = (flow: string, what: string, ok: boolean, detail?: string) => {
    checks.push({ flow, what, ok, detail });
    log(`   ${ok ? '✔' : '✘'} ${what}${detail ? ` — ${detail}` : ''}`);
  };
  const printSteps = () => {
    for (const s of zap.steps.slice(printed)) {
      const out = s.error ? `FAILED: ${s.error}` : summarize(s);
      log(
        `   • ${s.name} [${s.kind === 'filter' ? 'filter' : `${s.key}`}] ${s.kind === 'filter' ? '' : `(${s.requests} request${s.requests === 1 ? '' : 's'}, ${s.ms} ms)`}`,
      );
      if (s.kind !== 'filter') log(`       sent: ${short(withoutBlanks(s.input))}`);
      log(`       got:  ${out}`);
    }
    printed = zap.steps.length;
  };
  const section = (title: string) => {
    log();
    log(`── ${title}`);
  };

  try {
    log(`GHL sandbox on ${sandbox.url} — ${implementedOperations().length} GHL operations, requests validated against openapi/apps/*.json`);
    log(
      `Ecwid sandbox on ${ecwidSandbox.url} — store "${ecwidSandbox.state.store.name}", requests validated against ecwid/sandbox/openapi.json`,
    );
    section("Connect (the app's OAuth2: authorize URL → GHL chooselocation page → code → token)");
    await zap.connect();
    log(
      `   connected as "${zap.connectionLabel}" (location ${zap.authData.locationId}, user type ${zap.authData.userType}); ${sandbox.requests.length} requests`,
    );
    check('connect', 'connection label is the sub-account name', zap.connectionLabel === sandbox.state.location.name, zap.connectionLabel);

    const created = loadEcwidEvent('customer-created');
    const updated = loadEcwidEvent('customer-updated');

    section(`Connect the Ecwid Customers app (its OAuth2: Ecwid's authorize page → code → token) to "${ecwidSandbox.state.store.name}"`);
    await ecwid.connect();
    log(
      `   connected as "${ecwid.connectionLabel}" (store ${ecwid.authData.store_id}, scopes ${ecwid.authData.scope}); ${ecwidSandbox.requests.length} Ecwid requests`,
    );
    check(
      'connect',
      'Ecwid connection label is the store name',
      ecwid.connectionLabel === ecwidSandbox.state.store.name,
      ecwid.connectionLabel,
    );
    const exchanges = ecwidSandbox.requests
      .filter((r) => r.path.startsWith('/api/oauth/token'))
      .map((r) => `${r.method} ${r.path} → ${r.status}`);
    check(
      'connect',
      "the Ecwid code was exchanged at …/token/{store_id of Ecwid's redirect}, never at the retired …/token",
      exchanges.length === 1 && exchanges[0] === `POST /api/oauth/token/${ecwidSandbox.state.store.id} → 200`,
      exchanges.join(', '),
    );

    // Building flow 2 in the Zap editor: the trigger's outputs include one per checkout question of
    // the shop; the user maps "How did you hear about us?" into a GHL custom field of that name
    // (created in GHL once, like "Ecwid Customer ID").
    section("Zap editor: the Ecwid trigger lists the shop's checkout questions as outputs; map one into a GHL custom field");
    const editor = await ecwid.outputFields('new_or_updated_customer');
    const extraFields = editor.fields
      .filter((f) => f.key.startsWith('extraFields__'))
      .map((f) => ({ key: f.key.slice('extraFields__'.length), title: String(f.label ?? '').replace(/ \(extra field\)$/, '') }));
    log(`   extra field outputs: ${extraFields.map((f) => `"${f.title}" (${f.key})`).join(', ')}; ${editor.requests} Ecwid request`);
    check(
      'connect',
      "the Zap editor lists each of the store's extra fields as a labelled output (one request, not a poll)",
      extraFields.map((f) => f.title).join('|') === ecwidSandbox.state.extraFieldDefinitions.map((d) => d.title).join('|') &&
        editor.requests === 1,
      extraFields.map((f) => f.title).join(', '),
    );
    const heardField = addGhlCustomField(sandbox, HEARD_ABOUT_US);
    log(`   GHL custom field "${HEARD_ABOUT_US}" (${heardField}) created in the sub-account`);
    const settings = settingsFor(sandbox.state, { groups: Object.values(ECWID_GROUPS), extraFields });
    check(
      'connect',
      `the extra field "${HEARD_ABOUT_US}" is mapped to the GHL custom field of that name`,
      settings.extraFields?.length === 1 && settings.extraFields[0]?.customFieldId === heardField,
      JSON.stringify(settings.extraFields),
    );

    // Zapier's polling semantics: switching a Zap on polls once and only records what it sees.
    section('Switch on the two Zaps: flow 2 (New or Updated Customer) and flow 3 (Deleted Customer)');
    const onSync = await ecwid.poll('new_or_updated_customer');
    const onRemoval = await ecwid.poll('deleted_customer');
    printSteps();
    check(
      'poll',
      'the first poll after switch-on records the existing customers and runs no step',
      onSync.length === 0 && onRemoval.length === 0 && zap.steps.filter((s) => s.kind !== 'triggers').length === 0,
      `${ecwidSandbox.state.customers.size} customers already in the store`,
    );

    const contactsBefore = sandbox.state.contacts.size;
    /** One poll of flow 2's trigger, then the steps once per new item, as Zapier runs them. */
    const pollSync = async () => {
      const items = await ecwid.poll('new_or_updated_customer');
      const runs = [];
      for (const item of items) runs.push(await syncPolledCustomer(zap, item, settings));
      printSteps();
      return { items, runs };
    };

    const c = created.customer!;
    const bp = c.billingPerson ?? {};
    ecwidSandbox.state.advance(5 * 60_000);
    const jules = ecwidSandbox.state.register({
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
    });
    const ecwidKey = String(jules.id);
    section(`Flow 2 — ${c.email} registers in the Ecwid store (customer #${ecwidKey}); the next poll runs the Zap`);
    const first = await pollSync();
    const firstRun = first.runs[0];
    const contactId = String(firstRun?.contact.record.id);
    const ghlContact = sandbox.state.contacts.get(contactId);
    check(
      'sync',
      'the poll hands on exactly the new customer',
      first.items.length === 1 && first.items[0]?.customerId === ecwidKey,
      first.items.map((i) => i.id).join(', '),
    );
    check(
      'sync',
      'a new GHL contact was created',
      firstRun?.contact.outcome === 'created' && sandbox.state.contacts.size === contactsBefore + 1,
      `${ghlContact?.firstName} ${ghlContact?.lastName} <${ghlContact?.email}> ${ghlContact?.phone}`,
    );
    check(
      'sync',
      'the Ecwid customer id is stored in the "Ecwid Customer ID" custom field',
      String(ecwidId(sandbox, settings.ecwidIdFieldId, contactId)) === ecwidKey,
    );
    check(
      'sync',
      'tags: ecwid-customer + the customer group',
      ['ecwid-customer', 'ecwid-group:General'].every((t) => ghlContact?.tags.includes(t)),
      ghlContact?.tags.join(', '),
    );
    const businessNamed = (name: string) => [...sandbox.state.businesses.values()].filter((b) => b.name === name);
    const generalBusiness = businessNamed('General');
    check(
      'sync',
      'the contact is in the business of its Ecwid group: Find or Create Business created "General" once',
      firstRun?.business.outcome === 'created' && generalBusiness.length === 1 && ghlContact?.businessId === generalBusiness[0]?.id,
      sandbox.state.businesses.get(String(ghlContact?.businessId))?.name,
    );
    check(
      'sync',
      `the answer to "${HEARD_ABOUT_US}" (an Ecwid extra field) is in the GHL custom field`,
      customValue(sandbox, heardField, contactId) === 'Instagram',
      String(customValue(sandbox, heardField, contactId)),
    );
    check('sync', 'one welcome task is attached', tasksOf(sandbox, contactId).length === 1, tasksOf(sandbox, contactId)[0]?.title);

    // Flow 2's optional step after the welcome task (recipes/ecwid-automation.ts): the shop's welcome workflow.
    section('Flow 2, optional step — Add Contact to Workflow: start the welcome workflow; a replay does not enrol twice');
    const welcomeSettings = { welcomeWorkflowId: SEED_WORKFLOWS.welcome };
    const welcome = await startWelcomeWorkflow(zap, { contact: firstRun?.contact.record }, welcomeSettings);
    await startWelcomeWorkflow(zap, { contact: firstRun?.contact.record }, welcomeSettings);
    printSteps();
    const enrolments = automationOf(sandbox.state).enrolments.filter((e) => e.contactId === contactId);
    check(
      'sync',
      'the contact is in the welcome workflow, enrolled once',
      automationOf(sandbox.state).inWorkflows.get(contactId)?.has(SEED_WORKFLOWS.welcome) === true && enrolments.length === 1,
      `${String(welcome?.workflowName)}; ${enrolments.length} enrolment(s)`,
    );

    section('Flow 2 — the next poll sees the same customer again: nothing runs');
    const quiet = await pollSync();
    check('poll', 'a poll with no change runs no step', quiet.items.length === 0);

    section('Flow 2 — Zapier replays the run (a user clicks "Replay" in the Zap history)');
    const snapshot = JSON.stringify([...sandbox.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' })));
    const businessesBefore = sandbox.state.businesses.size;
    const replay = await syncPolledCustomer(zap, first.items[0]!, settings);
    printSteps();
    check(
      'sync',
      'replay finds the contact instead of creating one',
      replay.contact.outcome === 'updated' && sandbox.state.contacts.size === contactsBefore + 1,
    );
    check('sync', 'replay adds no task', tasksOf(sandbox, contactId).length === 1);
    check(
      'sync',
      'replay finds the "General" business instead of creating one',
      replay.business.outcome === 'found' && sandbox.state.businesses.size === businessesBefore,
    );
    check(
      'sync',
      'replay leaves the contact as it was',
      JSON.stringify([...sandbox.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' }))) === snapshot,
    );

    const u = updated.customer!;
    ecwidSandbox.state.advance(5 * 60_000);
    ecwidSandbox.state.edit(jules.id, {
      customerGroupId: u.customerGroupId,
      billingPerson: {
        street: u.billingPerson?.street,
        postalCode: u.billingPerson?.postalCode,
        companyName: u.billingPerson?.companyName,
      },
    });
    section(`Flow 2 — edit 1 in Ecwid: new address, group "${u.customerGroupName}"`);
    const edit1 = await pollSync();
    const after = sandbox.state.contacts.get(contactId);
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
      sandbox.state.businesses.get(String(after?.businessId))?.name,
    );

    section("Flow 2 — Zapier replays edit 1's run (General → Wholesale): nothing changes");
    const dataOf = () =>
      JSON.stringify([
        [...sandbox.state.contacts.values()].map((x) => ({ ...x, dateUpdated: '' })),
        [...sandbox.state.businesses.values()].map((b) => ({ ...b, updatedAt: '' })),
        [...sandbox.state.tasks.values()].map((t) => ({ ...t, dateUpdated: '' })),
      ]);
    const beforeMoveReplay = dataOf();
    const moveReplay = await syncPolledCustomer(zap, edit1.items[0]!, settings);
    printSteps();
    const afterMoveReplay = sandbox.state.contacts.get(contactId);
    check(
      'sync',
      'the replay finds the Wholesale business and the contact, the filter stops the tag swap, and the data is unchanged',
      moveReplay.business.outcome === 'found' &&
        moveReplay.contact.outcome === 'updated' &&
        moveReplay.groupTagRemoved.length === 0 &&
        dataOf() === beforeMoveReplay &&
        afterMoveReplay?.businessId === wholesaleBusiness[0]?.id &&
        (afterMoveReplay?.tags ?? []).filter((t) => t.toLowerCase().startsWith('ecwid-group:')).length === 1,
      `business ${sandbox.state.businesses.get(String(afterMoveReplay?.businessId))?.name}; tags ${afterMoveReplay?.tags.join(', ')}`,
    );

    ecwidSandbox.state.advance(5 * 60_000);
    ecwidSandbox.state.edit(jules.id, { billingPerson: { phone: '+1 503 555 0199', city: 'Beaverton' } });
    section('Flow 2 — edit 2 in Ecwid: new phone and city');
    const edit2 = await pollSync();
    const after2 = sandbox.state.contacts.get(contactId);
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
        contactsWithEcwidId(sandbox, settings.ecwidIdFieldId, ecwidKey).length === 1 &&
        tasksOf(sandbox, contactId).length === 1,
    );
    for (const record of sandbox.state.accessTokens.values()) record.expiresAt = Date.now() - 1;
    const refreshTokenBefore = zap.authData.refresh_token;

    // Flow 1: profile pull.
    section('Flow 1 — pull the contact profile with its tasks and notes (the access token has expired meanwhile)');
    log('   GHL access tokens last a day: the sandbox has just expired this one, so the first request gets a 401,');
    log('   the app refreshes once (GHL rotates the refresh token) and the step is retried.');
    const profile = await profilePull(zap, contactId);
    printSteps();
    if (profile.found) log(`   key fields: ${JSON.stringify(profile.keyFields)}`);
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
        profile.keyFields.mostRecentTask?.title === tasksOf(sandbox, contactId)[0]?.title,
    );
    const seeded = [...sandbox.state.contacts.values()].find(
      (c) => tasksOf(sandbox, c.id).length > 1 && [...sandbox.state.notes.values()].some((n) => n.contactId === c.id),
    );
    if (seeded) {
      const seededProfile = await profilePull(zap, seeded.id);
      printSteps();
      if (seededProfile.found) log(`   key fields: ${JSON.stringify(seededProfile.keyFields)}`);
      check(
        'profile',
        `a seeded contact's profile lists all ${tasksOf(sandbox, seeded.id).length} tasks and its notes in one round of parallel requests`,
        seededProfile.found && seededProfile.taskCount === tasksOf(sandbox, seeded.id).length && zap.steps.at(-1)?.requests === 4,
      );
    }

    // Flow 3: removal.
    ecwidSandbox.state.advance(5 * 60_000);
    ecwidSandbox.state.remove(jules.id);
    section(`Flow 3 — customer #${ecwidKey} is deleted in Ecwid (Ecwid keeps only the id and the time); the next poll runs the Zap`);
    const taskIds = tasksOf(sandbox, contactId).map((t) => t.id);
    const gone = await ecwid.poll('deleted_customer');
    const removal = gone[0] ? await removeDeletedCustomer(zap, gone[0], settings, 'delete') : undefined;
    printSteps();
    check(
      'removal',
      'the poll hands on exactly the deleted customer',
      gone.length === 1 && gone[0]?.customerId === ecwidKey,
      gone[0]?.deletedAt,
    );
    check('removal', 'the contact is gone from GHL', !!removal?.removed && !sandbox.state.contacts.has(contactId));
    check(
      'removal',
      'its tasks are gone and listed in the output',
      taskIds.every((id) => !sandbox.state.tasks.has(id)) &&
        !!removal?.removed &&
        (removal.deleted.tasksDeleted?.length ?? removal.deleted.taskCount) === taskIds.length,
      `${taskIds.length} task(s)`,
    );
    check('removal', 'no other contact was touched', sandbox.state.contacts.size === contactsBefore);

    section('Flow 3 — the next polls see the same deletion again: nothing runs; a replayed run finds nothing to delete');
    const quietRemoval = await ecwid.poll('deleted_customer');
    const quietSync = await ecwid.poll('new_or_updated_customer');
    const again = await removeDeletedCustomer(zap, gone[0] ?? { customerId: ecwidKey }, settings, 'delete');
    printSteps();
    check('poll', 'later polls run no step for a change already handled', quietRemoval.length === 0 && quietSync.length === 0);
    check(
      'removal',
      'nothing is deleted and the step says why',
      !again.removed && sandbox.state.contacts.size === contactsBefore,
      again.reason,
    );
    check(
      'poll',
      'every poll was one Ecwid request',
      zap.steps.filter((s) => s.kind === 'triggers').every((s) => s.requests === 1),
      `${zap.steps.filter((s) => s.kind === 'triggers').length} polls`,
    );
    const softTarget = [...sandbox.state.contacts.values()].find((c) => ecwidId(sandbox, settings.ecwidIdFieldId, c.id) !== undefined);
    if (softTarget) {
      const softId = String(ecwidId(sandbox, settings.ecwidIdFieldId, softTarget.id));
      section(
        `Flow 3, soft variant (Archive Contact) — customer #${softId} is deleted in Ecwid: tag the contact and complete its open tasks`,
      );
      const openBefore = tasksOf(sandbox, softTarget.id).filter((t) => !t.completed).length;
      if (ecwidSandbox.state.customers.has(Number(softId))) {
        ecwidSandbox.state.advance(60_000);
        ecwidSandbox.state.remove(Number(softId));
      }
      // This customer had joined the newsletter campaign and the welcome workflow earlier.
      const before = automationOf(sandbox.state);
      before.inCampaigns.set(softTarget.id, new Set([SEED_CAMPAIGNS.newsletter]));
      before.inWorkflows.set(softTarget.id, new Set([SEED_WORKFLOWS.welcome]));
      const softItems = await ecwid.poll('deleted_customer');
      // Before the archive (recipes/ecwid-automation.ts): no more drip messages to a removed customer.
      await stopAutomations(zap, { contact: { id: softTarget.id } }, { stopWorkflowIds: [SEED_WORKFLOWS.welcome] });
      const soft = await removeDeletedCustomer(zap, softItems[0] ?? { customerId: softId }, settings, 'archive');
      printSteps();
      const automation = automationOf(sandbox.state);
      check(
        'removal',
        'soft: the contact was taken out of every campaign and the welcome workflow first',
        !automation.inCampaigns.get(softTarget.id)?.size && !automation.inWorkflows.get(softTarget.id)?.has(SEED_WORKFLOWS.welcome),
      );
      check('removal', 'soft: the poll hands on the deleted customer once', softItems.length === 1 && softItems[0]?.customerId === softId);
      const kept = sandbox.state.contacts.get(softTarget.id);
      check('removal', 'soft: the contact stays, tagged ecwid-deleted', !!kept && kept.tags.includes('ecwid-deleted'));
      check(
        'removal',
        `soft: its ${openBefore} open task(s) are completed`,
        tasksOf(sandbox, softTarget.id).every((t) => t.completed) && !!soft.archived,
      );
    }

    section('Flow 3 — a deletion for an Ecwid customer GHL does not know');
    const unknown = await removeDeletedCustomer(zap, { id: '999999999', customerId: '999999999' }, settings, 'delete');
    printSteps();
    check(
      'removal',
      'unknown customer: nothing deleted, reason given',
      !unknown.removed && sandbox.state.contacts.size === contactsBefore,
      unknown.reason,
    );

    section('Flow 3 — a deletion that matches two GHL contacts (someone imported the customer twice)');
    const twinKey = '555000111';
    for (const email of ['twin.one@example.com', 'twin.two@example.com']) {
      await zap.step('Setup: Create Contact with the same Ecwid Customer ID', 'creates', 'create_contact', {
        firstName: 'Twin',
        email,
        [`customField__${settings.ecwidIdFieldId}`]: twinKey,
      });
    }
    printSteps();
    const sizeWithTwins = sandbox.state.contacts.size;
    const ambiguous = await removeDeletedCustomer(zap, { id: twinKey, customerId: twinKey }, settings, 'delete');
    printSteps();
    check(
      'removal',
      'ambiguous match: nothing deleted, the step says why',
      !ambiguous.removed &&
        sandbox.state.contacts.size === sizeWithTwins &&
        contactsWithEcwidId(sandbox, settings.ecwidIdFieldId, twinKey).length === 2,
      ambiguous.reason,
    );

    // A name of several words: Ecwid's own split would be "Mary" / "Berg".
    ecwidSandbox.state.advance(5 * 60_000);
    const mary = ecwidSandbox.state.register({
      email: 'mary.ann@example.com',
      name: 'Mary Ann van der Berg',
      countryCode: 'NL',
      extraFields: { [HEARD_ABOUT_US]: 'A friend' },
    });
    section(
      `Flow 2 — "Mary Ann van der Berg" registers (Ecwid's own first/last name: "${mary.billingPerson?.firstName}" / "${mary.billingPerson?.lastName}")`,
    );
    const maryRun = await pollSync();
    const maryContact = sandbox.state.contacts.get(String(maryRun.runs[0]?.contact.record.id));
    check(
      'sync',
      'a four-word name reaches GHL with every word: first name "Mary Ann", last name "van der Berg"',
      maryContact?.firstName === 'Mary Ann' && maryContact?.lastName === 'van der Berg',
      `${maryContact?.firstName} / ${maryContact?.lastName}`,
    );
    check(
      'sync',
      `her answer to "${HEARD_ABOUT_US}" is in the GHL custom field, and she has one group tag`,
      customValue(sandbox, heardField, String(maryContact?.id)) === 'A friend' &&
        maryContact?.tags.filter((t) => t.startsWith('ecwid-group:')).join() === 'ecwid-group:General',
      `${String(customValue(sandbox, heardField, String(maryContact?.id)))}; ${maryContact?.tags.join(', ')}`,
    );
  } catch (error) {
    printSteps();
    check('demo', 'the demo ran to the end', false, (error as Error).message);
  } finally {
    process.env = savedEnv;
    await sandbox.close();
    await ecwidSandbox.close();
  }

  // Instant triggers (relay/demo.ts): its own sandbox, the webhook relay and REST-hook Zaps.
  checks.push(...(await runInstantZap(log)).checks);
  // Flows 2 and 3 from Ecwid's webhooks through the relay (recipes/ecwid-instant.ts), with per-event latency.
  checks.push(...(await runEcwidInstant(log)).checks);

  const result: DemoResult = {
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    steps: zap.steps,
    requests: sandbox.requests.length,
    refreshes: Math.max(0, zap.refreshTokens.length - 1),
    connectionLabel: zap.connectionLabel,
  };
  log();
  log(
    `── Summary: ${checks.filter((c) => c.ok).length}/${checks.length} checks passed; ${zap.steps.filter((s) => s.kind !== 'filter').length} Zap steps; ${result.requests} GHL requests (incl. OAuth); ${result.refreshes} token refresh(es)`,
  );
  log(`   ${ecwidSandbox.requests.length} Ecwid requests (incl. OAuth); ${zap.steps.filter((st) => st.kind === 'triggers').length} polls`);
  for (const flow of ['connect', 'poll', 'sync', 'profile', 'removal', 'instant', 'ecwid-instant', 'demo']) {
    const mine = checks.filter((c) => c.flow === flow);
    if (mine.length)
      log(`   ${flow.padEnd(13)} ${mine.every((c) => c.ok) ? 'PASS' : 'FAIL'} (${mine.filter((c) => c.ok).length}/${mine.length})`);
  }
  return result;
};
