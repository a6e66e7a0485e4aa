/**
 * The demo's flow 3 on the polling trigger (recipes/demo/story.ts): customers deleted in the Ecwid
 * store, each run starting from the Deleted Customer item — Find Contact by its Ecwid id, the
 * Filter, then Delete Contact; the soft variant (profile, automation stop, Archive Contact); a
 * customer GHL never had; and one someone imported into GHL twice. What the shop or a GHL user does
 * by hand is done in the stores; every id a Zap step uses comes from the trigger or an earlier step.
 */
import { automationOf, SEED_CAMPAIGNS, SEED_WORKFLOWS } from '../../sandbox/state/automation.js';
import { contactsWithEcwidId, tasksOf } from './helpers.js';
import type { DemoWorld } from './world.js';
import type { RecipeSettings } from '../ecwid.js';
import { removeDeletedCustomer, type RemovalExtras } from '../flows.js';

/** One poll of flow 3's trigger, then the steps once per new item. */
const pollFlow3 = async (w: DemoWorld, settings: RecipeSettings, mode: 'delete' | 'archive', extra: RemovalExtras = {}) => {
  const items = await w.ecwidApp.poll('deleted_customer');
  const runs = [];
  for (const item of items) runs.push(await removeDeletedCustomer(w.zap, item, settings, mode, extra));
  w.printSteps();
  return { items, runs };
};

export const runFlow3 = async (
  w: DemoWorld,
  settings: RecipeSettings,
  flow2: { jules: { id: number }; ecwidKey: string; contactId: string; contactsBefore: number },
) => {
  const { ghl, ecwid, zap, check, section } = w;
  const { ecwidKey, contactId, contactsBefore } = flow2;
  ecwid.state.remove(flow2.jules.id);
  section(`Flow 3 — customer #${ecwidKey} is deleted in Ecwid (Ecwid keeps only the id and the time); the next poll runs the Zap`);
  const taskIds = tasksOf(ghl, contactId).map((t) => t.id);
  const gone = await pollFlow3(w, settings, 'delete');
  const removal = gone.runs[0];
  check(
    'removal',
    'the poll hands on exactly the deleted customer',
    gone.items.length === 1 && gone.items[0]?.customerId === ecwidKey,
    gone.items[0]?.deletedAt,
  );
  check('removal', 'the contact is gone from GHL', !!removal?.removed && !ghl.state.contacts.has(contactId));
  check(
    'removal',
    'its tasks are gone and listed in the output',
    taskIds.every((id) => !ghl.state.tasks.has(id)) &&
      !!removal?.removed &&
      (removal.deleted.tasksDeleted?.length ?? removal.deleted.taskCount) === taskIds.length,
    `${taskIds.length} task(s)`,
  );
  check('removal', 'no other contact was touched', ghl.state.contacts.size === contactsBefore);

  section('Flow 3 — the next polls see the same deletion again: nothing runs; Zapier replays the run: nothing to delete');
  const quietRemoval = await w.ecwidApp.poll('deleted_customer');
  const quietSync = await w.ecwidApp.poll('new_or_updated_customer');
  const again = await removeDeletedCustomer(zap, gone.items[0]!, settings, 'delete');
  w.printSteps();
  check('poll', 'later polls run no step for a change already handled', quietRemoval.length === 0 && quietSync.length === 0);
  check('removal', 'nothing is deleted and the step says why', !again.removed && ghl.state.contacts.size === contactsBefore, again.reason);
  check(
    'poll',
    'every poll was one Ecwid request',
    zap.steps.filter((s) => s.kind === 'triggers').every((s) => s.requests === 1),
    `${zap.steps.filter((s) => s.kind === 'triggers').length} polls`,
  );

  // The soft variant: the shop switches flow 3's last step to Archive Contact, with the optional
  // steps before it. Olivia, a customer from before the Zaps, had joined the newsletter campaign and
  // the welcome workflow in GHL (the sandbox's history, written here).
  const olivia = [...ecwid.state.customers.values()].find((c) => c.email === 'olivia.bennett@example.com')!;
  const oliviaInGhl = contactsWithEcwidId(ghl, settings.ecwidIdFieldId, String(olivia.id))[0]!;
  const history = automationOf(ghl.state);
  history.inCampaigns.set(oliviaInGhl.id, new Set([SEED_CAMPAIGNS.newsletter]));
  history.inWorkflows.set(oliviaInGhl.id, new Set([SEED_WORKFLOWS.welcome]));
  const openBefore = tasksOf(ghl, oliviaInGhl.id).filter((t) => !t.completed).length;
  ecwid.state.remove(olivia.id);
  section(
    `Flow 3, soft variant — customer #${olivia.id} (${olivia.email}) is deleted in Ecwid: keep her profile, stop her automations, archive the contact`,
  );
  const soft = await pollFlow3(w, settings, 'archive', { profile: true, automation: { stopWorkflowIds: [SEED_WORKFLOWS.welcome] } });
  const softRun = soft.runs[0];
  if (softRun?.profile?.found) w.log(`   key fields: ${JSON.stringify(softRun.profile.keyFields)}`);
  const automation = automationOf(ghl.state);
  check(
    'removal',
    'soft: the contact was taken out of every campaign and the welcome workflow first',
    !automation.inCampaigns.get(oliviaInGhl.id)?.size && !automation.inWorkflows.get(oliviaInGhl.id)?.has(SEED_WORKFLOWS.welcome),
  );
  check(
    'removal',
    'soft: the poll hands on the deleted customer once',
    soft.items.length === 1 && soft.items[0]?.customerId === String(olivia.id),
  );
  const kept = ghl.state.contacts.get(oliviaInGhl.id);
  check('removal', 'soft: the contact stays, tagged ecwid-deleted', !!kept && kept.tags.includes('ecwid-deleted'));
  check(
    'removal',
    `soft: its ${openBefore} open task(s) are completed`,
    tasksOf(ghl, oliviaInGhl.id).every((t) => t.completed) && !!softRun?.archived,
  );
  const profileStep = zap.steps.findLast((s) => s.key === 'find_contact_by_id');
  check(
    'profile',
    `a seeded contact's profile lists all ${tasksOf(ghl, oliviaInGhl.id).length} tasks and its notes in one round of parallel requests`,
    !!softRun?.profile?.found &&
      softRun.profile.taskCount === tasksOf(ghl, oliviaInGhl.id).length &&
      softRun.profile.noteCount > 0 &&
      profileStep?.requests === 4,
  );

  // A customer from before the Zaps that never reached GHL (the seed's Marco Rossi).
  const marco = [...ecwid.state.customers.values()].find((c) => c.email === 'marco.rossi@example.com')!;
  ecwid.state.remove(marco.id);
  section(`Flow 3 — customer #${marco.id} (${marco.email}), never synced to GHL, is deleted in Ecwid`);
  const unknown = await pollFlow3(w, settings, 'delete');
  check(
    'removal',
    'unknown customer: nothing deleted, reason given',
    unknown.runs.length === 1 && !unknown.runs[0]!.removed && ghl.state.contacts.size === contactsBefore,
    unknown.runs[0]?.reason,
  );

  // A customer someone imported into GHL twice (a CSV import in GHL, before any Zap ran for them).
  const twin = await w.inEcwid(() =>
    ecwid.state.register({ email: 'alex.lindqvist@example.com', firstName: 'Alex', lastName: 'Lindqvist' }),
  );
  for (const email of ['alex.lindqvist@example.com', 'alex.l@example.com'])
    await w.inGhl('POST', '/contacts/', {
      locationId: ghl.locationId,
      firstName: 'Alex',
      lastName: 'Lindqvist',
      email,
      customFields: [{ id: settings.ecwidIdFieldId, value: String(twin.id) }],
    });
  const sizeWithTwins = ghl.state.contacts.size;
  ecwid.state.remove(twin.id);
  section(`Flow 3 — customer #${twin.id}, imported into GHL twice by hand, is deleted in Ecwid: the deletion matches two contacts`);
  const ambiguous = await pollFlow3(w, settings, 'delete');
  check(
    'removal',
    'ambiguous match: nothing deleted, the step says why',
    ambiguous.runs.length === 1 &&
      !ambiguous.runs[0]!.removed &&
      ghl.state.contacts.size === sizeWithTwins &&
      contactsWithEcwidId(ghl, settings.ecwidIdFieldId, String(twin.id)).length === 2,
    ambiguous.runs[0]?.reason,
  );
  return { twinEmails: ['alex.lindqvist@example.com', 'alex.l@example.com'] };
};
