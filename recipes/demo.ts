/**
 * The main job (`npm run demo`): starts the GHL sandbox in-process, connects through the app's own
 * OAuth code, runs the three flows of the brief with Ecwid events from fixtures/ecwid/, checks what
 * GHL holds after each step, and reports every step with its request count.
 */
import { implementedOperations, startSandbox, type Sandbox } from '../sandbox/server.js';
import { loadEcwidEvent, type EcwidEvent } from './ecwid.js';
import { profilePull, removeCustomer, settingsFor, syncCustomer } from './flows.js';
import { ZapRunner, type StepRecord } from './zap-runner.js';
import { runInstantZap } from '../relay/demo.js';

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

const ecwidId = (sb: Sandbox, fieldId: string, contactId: string) =>
  sb.state.contacts.get(contactId)?.customFields.find((f) => f.id === fieldId)?.value;

const contactsWithEcwidId = (sb: Sandbox, fieldId: string, value: string) =>
  [...sb.state.contacts.values()].filter((c) => c.customFields.some((f) => f.id === fieldId && String(f.value) === value));

const tasksOf = (sb: Sandbox, contactId: string) => [...sb.state.tasks.values()].filter((t) => t.contactId === contactId);

export const runDemo = async (log: Log = () => undefined, options: { accessTokenTtlSeconds?: number } = {}): Promise<DemoResult> => {
  const sandbox = await startSandbox({ accessTokenTtlSeconds: options.accessTokenTtlSeconds });
  const savedEnv = { ...process.env };
  const checks: Check[] = [];
  const zap = new ZapRunner(sandbox);
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
      if (s.kind !== 'filter') log(`       sent: ${short(s.input)}`);
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
    section("Connect (the app's OAuth2: authorize URL → GHL chooselocation page → code → token)");
    await zap.connect();
    log(
      `   connected as "${zap.connectionLabel}" (location ${zap.authData.locationId}, user type ${zap.authData.userType}); ${sandbox.requests.length} requests`,
    );
    check('connect', 'connection label is the sub-account name', zap.connectionLabel === sandbox.state.location.name, zap.connectionLabel);

    const settings = settingsFor(sandbox.state);
    const created = loadEcwidEvent('customer-created');
    const updated = loadEcwidEvent('customer-updated');
    const deleted = loadEcwidEvent('customer-deleted');
    const ecwidKey = String(created.webhook.entityId);

    // Flow 2: create, replay, update.
    section(`Flow 2 — Ecwid ${created.webhook.eventType} #${ecwidKey} (${created.customer?.email}) → GHL`);
    const contactsBefore = sandbox.state.contacts.size;
    const first = await syncCustomer(zap, created, settings);
    printSteps();
    const contactId = String(first.contact.record.id);
    const ghlContact = sandbox.state.contacts.get(contactId);
    check(
      'sync',
      'a new GHL contact was created',
      first.contact.outcome === 'created' && sandbox.state.contacts.size === contactsBefore + 1,
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
    check(
      'sync',
      'the business is set',
      !settings.businessId || ghlContact?.businessId === settings.businessId,
      sandbox.state.businesses.get(String(ghlContact?.businessId))?.name,
    );
    check('sync', 'one welcome task is attached', tasksOf(sandbox, contactId).length === 1, tasksOf(sandbox, contactId)[0]?.title);

    section('Flow 2 — the same event delivered again (Ecwid retries and duplicates webhooks)');
    const snapshot = JSON.stringify([...sandbox.state.contacts.values()].map((c) => ({ ...c, dateUpdated: '' })));
    const replay = await syncCustomer(zap, created, settings);
    printSteps();
    check(
      'sync',
      'replay finds the contact instead of creating one',
      replay.contact.outcome === 'updated' && sandbox.state.contacts.size === contactsBefore + 1,
    );
    check('sync', 'replay adds no task', tasksOf(sandbox, contactId).length === 1);
    check(
      'sync',
      'replay leaves the contact as it was',
      JSON.stringify([...sandbox.state.contacts.values()].map((c) => ({ ...c, dateUpdated: '' }))) === snapshot,
    );

    section(`Flow 2 — Ecwid ${updated.webhook.eventType}: new address, phone kept, group "${updated.customer?.customerGroupName}"`);
    const second = await syncCustomer(zap, updated, settings);
    printSteps();
    const after = sandbox.state.contacts.get(contactId);
    check('sync', 'the same contact was updated', second.contact.outcome === 'updated' && String(second.contact.record.id) === contactId);
    check(
      'sync',
      'address follows Ecwid',
      after?.address1 === updated.customer?.billingPerson?.street && after?.postalCode === updated.customer?.billingPerson?.postalCode,
      `${after?.address1}, ${after?.postalCode}`,
    );
    check(
      'sync',
      'the new group tag is added, earlier tags kept',
      ['ecwid-customer', 'ecwid-group:General', 'ecwid-group:Wholesale'].every((t) => after?.tags.includes(t)),
      after?.tags.join(', '),
    );
    check('sync', 'still exactly one welcome task', tasksOf(sandbox, contactId).length === 1);

    // Tokens last a day on GHL; here the access token expires between two Zap runs.
    section('The access token expires (GHL access tokens last a day) — the next step must refresh and retry');
    for (const record of sandbox.state.accessTokens.values()) record.expiresAt = Date.now() - 1;
    const refreshTokenBefore = zap.authData.refresh_token;

    // Flow 1: profile pull.
    section('Flow 1 — pull the contact profile with its tasks and notes');
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
    section(
      `Flow 3 — Ecwid ${deleted.webhook.eventType} #${deleted.webhook.entityId} (only the id and ${deleted.webhook.data?.customerEmail})`,
    );
    const taskIds = tasksOf(sandbox, contactId).map((t) => t.id);
    const removal = await removeCustomer(zap, deleted, settings, 'delete');
    printSteps();
    check('removal', 'the contact is gone from GHL', removal.removed && !sandbox.state.contacts.has(contactId));
    check(
      'removal',
      'its tasks are gone and listed in the output',
      taskIds.every((id) => !sandbox.state.tasks.has(id)) &&
        removal.removed &&
        (removal.deleted.tasksDeleted?.length ?? removal.deleted.taskCount) === taskIds.length,
      `${taskIds.length} task(s)`,
    );
    check('removal', 'no other contact was touched', sandbox.state.contacts.size === contactsBefore);

    section('Flow 3 — the same deletion delivered again: nothing left to delete');
    const again = await removeCustomer(zap, deleted, settings, 'delete');
    printSteps();
    check(
      'removal',
      'nothing is deleted and the step says why',
      !again.removed && sandbox.state.contacts.size === contactsBefore,
      again.reason,
    );

    const softTarget = [...sandbox.state.contacts.values()].find((c) => ecwidId(sandbox, settings.ecwidIdFieldId, c.id) !== undefined);
    if (softTarget) {
      const softId = String(ecwidId(sandbox, settings.ecwidIdFieldId, softTarget.id));
      const softEvent: EcwidEvent = {
        webhook: { ...deleted.webhook, entityId: Number(softId), data: { customerEmail: softTarget.email ?? '' } },
      };
      section(`Flow 3, soft variant — Ecwid customer.deleted #${softId}: tag the contact and complete its open tasks`);
      const openBefore = tasksOf(sandbox, softTarget.id).filter((t) => !t.completed).length;
      const soft = await removeCustomer(zap, softEvent, settings, 'archive');
      printSteps();
      const kept = sandbox.state.contacts.get(softTarget.id);
      check('removal', 'soft: the contact stays, tagged ecwid-deleted', !!kept && kept.tags.includes('ecwid-deleted'));
      check(
        'removal',
        `soft: its ${openBefore} open task(s) are completed`,
        tasksOf(sandbox, softTarget.id).every((t) => t.completed) && !!soft.archived,
      );
    }

    section('Flow 3 — a deletion for an Ecwid customer GHL does not know');
    const unknown = await removeCustomer(
      zap,
      { webhook: { ...deleted.webhook, entityId: 999999999, data: { customerEmail: 'never.seen@example.com' } } },
      settings,
      'delete',
    );
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
    const ambiguous = await removeCustomer(
      zap,
      { webhook: { ...deleted.webhook, entityId: Number(twinKey), data: { customerEmail: 'twin.one@example.com' } } },
      settings,
      'delete',
    );
    printSteps();
    check(
      'removal',
      'ambiguous match: nothing deleted, the step says why',
      !ambiguous.removed &&
        sandbox.state.contacts.size === sizeWithTwins &&
        contactsWithEcwidId(sandbox, settings.ecwidIdFieldId, twinKey).length === 2,
      ambiguous.reason,
    );
  } catch (error) {
    printSteps();
    check('demo', 'the demo ran to the end', false, (error as Error).message);
  } finally {
    process.env = savedEnv;
    await sandbox.close();
  }

  // Instant triggers (relay/demo.ts): its own sandbox, the webhook relay and REST-hook Zaps.
  checks.push(...(await runInstantZap(log)).checks);

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
  for (const flow of ['connect', 'sync', 'profile', 'removal', 'instant', 'demo']) {
    const mine = checks.filter((c) => c.flow === flow);
    if (mine.length)
      log(`   ${flow.padEnd(8)} ${mine.every((c) => c.ok) ? 'PASS' : 'FAIL'} (${mine.filter((c) => c.ok).length}/${mine.length})`);
  }
  return result;
};

const short = (value: unknown, max = 160): string => {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

const summarize = (s: StepRecord): string => {
  const out = s.output as any;
  if (s.kind === 'filter') return `${out.pass ? 'continue' : 'STOP'}: ${out.reason}`;
  if (Array.isArray(out)) {
    if (!out.length) return 'nothing found';
    const f = out[0];
    return `${out.length} found: ${f.name ?? f.title ?? f.id}${f.ambiguous ? ' (ambiguous)' : ''}${f.matchedBy ? ` matched by ${f.matchedBy}` : ''}`;
  }
  if (out && typeof out === 'object') {
    const keys = [
      'id',
      'name',
      'title',
      'email',
      'existing',
      'deleted',
      'tags',
      'taskCount',
      'tasksDeleted',
      'tasksCompleted',
      'completed',
      'dueDate',
    ];
    const picked: Record<string, unknown> = {};
    for (const k of keys) if (out[k] !== undefined) picked[k] = out[k];
    return short(picked);
  }
  return short(out);
};
