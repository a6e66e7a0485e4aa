/**
 * Flows 2 and 3 of the brief from Ecwid's webhooks (issue 18), for `npm run demo`: the Ecwid
 * sandbox sends signed customer webhooks → the relay (in-process, its own SQLite file) → a local
 * stand-in for Zapier's hook endpoint (recipes/zap-host.ts) that runs the Ecwid app's instant
 * triggers (New Customer / Customer Updated / Customer Deleted (Instant)), then the GHL steps of
 * flows 2 and 3 (recipes/flows.ts) against the GHL sandbox. Per event it prints the time from the
 * change in Ecwid to the last GHL write of the Zap being done. Zapier's own hop (its queue before
 * a Zap runs) is not part of this; the polling flows of recipes/demo.ts stay the no-setup way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EcwidApp from '../ecwid/index.js';
import { startEcwidSandbox, type EcwidSandbox } from '../ecwid/sandbox/server.js';
import { droppedEvents } from '../ecwid/src/resources/instantCustomers.js';
import { loadConfig } from '../relay/config.js';
import { startRelay, type Relay } from '../relay/server.js';
import { startSandbox, type Sandbox } from '../sandbox/server.js';
import { appSyncContactMapping, appSyncSearchMapping, appSyncUpdateMapping, mapFields, type RecipeSettings } from './ecwid.js';
import { removeDeletedCustomer, settingsFor, syncPolledCustomer } from './flows.js';
import { startZapHost, type AppTester, type ZapHost, type ZapRun } from './zap-host.js';
import { EcwidTriggerRunner, ZapRunner } from './zap-runner.js';

export interface InstantCheck {
  flow: string;
  what: string;
  ok: boolean;
  detail?: string;
}

type Log = (line?: string) => void;
type Op = { operation: Record<string, (z: unknown, b: unknown) => unknown> };
const op = (key: string) => (EcwidApp.triggers as unknown as Record<string, Op>)[key]!.operation;

/** The three Zaps: flow 2 twice (Zapier: one trigger per Zap; the same steps), flow 3 once. */
export const ECWID_INSTANT_ZAPS = {
  new_customer_instant: 'Flow 2 (registration)',
  customer_updated_instant: 'Flow 2 (edit)',
  customer_deleted_instant: 'Flow 3 (deletion)',
} as const;

export interface EcwidInstantWorld {
  ghl: Sandbox;
  ecwid: EcwidSandbox;
  /** The in-process relay (undefined when the caller runs its own). */
  relay?: Relay;
  relayUrl: string;
  zap: ZapRunner;
  ecwidApp: EcwidTriggerRunner;
  zaps: ZapHost;
  settings: RecipeSettings;
  close(): Promise<void>;
}

/** Both sandboxes, the relay, both apps connected through OAuth, and the three Zaps switched on. */
export const startEcwidInstantWorld = async (
  opts: {
    relayEnv?: Record<string, string>;
    ecwid?: Parameters<typeof startEcwidSandbox>[0];
    /** Zap runs overlap (the bench), instead of one after another. */
    concurrent?: boolean;
    /** Flow 2's steps: all of them (the demo), or only Find or Create Contact, the contact write (the bench). */
    flow2?: 'full' | 'contact';
    /** A relay of the caller's (the bench's own process): started here, given the sandboxes; returns its URL. */
    beforeSubscribe?: (w: { ecwid: EcwidSandbox; ghl: Sandbox }) => Promise<string>;
  } = {},
): Promise<EcwidInstantWorld> => {
  const savedEnv = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'ecwid-instant-'));
  const ghl = await startSandbox({ rateLimit: false });
  const ecwid = await startEcwidSandbox({ rateLimit: false, ...opts.ecwid });
  const relay = opts.beforeSubscribe
    ? undefined
    : await startRelay(
        loadConfig({
          RELAY_PORT: '0',
          RELAY_SQLITE_PATH: join(dir, 'relay.sqlite'),
          RELAY_ECWID_CLIENT_SECRET: ecwid.clientSecret,
          RELAY_ECWID_API_BASE_URL: ecwid.apiBaseUrl,
          RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
          RELAY_QUIET: '1',
          ...opts.relayEnv,
        }),
      );
  const relayUrl = relay ? relay.url : await opts.beforeSubscribe!({ ecwid, ghl });
  const zap = new ZapRunner(ghl);
  const ecwidApp = new EcwidTriggerRunner(ecwid, zap);
  await zap.connect();
  await ecwidApp.connect();
  process.env.RELAY_URL = relayUrl;
  const settings = settingsFor(ghl.state);
  const zaps = await startZapHost(ecwidApp.appTester as unknown as AppTester, { concurrent: opts.concurrent });
  const sync =
    opts.flow2 === 'contact'
      ? async (item: Record<string, any>) =>
          void (await zap.searchOrCreate(
            'Find or Create Contact',
            'find_contact',
            mapFields(appSyncSearchMapping(settings), { customer: item }),
            mapFields(appSyncContactMapping(settings), { customer: item }),
            mapFields(appSyncUpdateMapping(settings), { customer: item }),
          ))
      : async (item: Record<string, any>) => void (await syncPolledCustomer(zap, item, settings));
  const steps: Record<keyof typeof ECWID_INSTANT_ZAPS, (item: Record<string, any>) => Promise<void>> = {
    new_customer_instant: sync,
    customer_updated_instant: sync,
    customer_deleted_instant: async (item) => void (await removeDeletedCustomer(zap, item, settings, 'delete')),
  };
  for (const key of Object.keys(ECWID_INSTANT_ZAPS) as Array<keyof typeof ECWID_INSTANT_ZAPS>) {
    // Turning the Zap on: Zapier calls performSubscribe with the Zap's hook URL.
    await ecwidApp.appTester(
      op(key).performSubscribe as never,
      {
        authData: ecwidApp.authData,
        inputData: {},
        targetUrl: zaps.hookUrl(key),
      } as never,
    );
    zaps.on(key, { trigger: op(key).perform!, authData: () => ecwidApp.authData, steps: steps[key] });
  }
  ecwid.webhooks.setUrl(`${relayUrl}/webhooks/ecwid`);
  return {
    ghl,
    ecwid,
    relay,
    relayUrl,
    zap,
    ecwidApp,
    zaps,
    settings,
    close: async () => {
      process.env = savedEnv;
      await ecwid.close();
      await relay?.close();
      await zaps.close();
      await ghl.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** The Ecwid change behind a Zap run (by the webhook's eventId) and the time to its last GHL write. */
export const latencyOf = (world: Pick<EcwidInstantWorld, 'ecwid'>, run: ZapRun): number | undefined => {
  const eventId = (run.body as { eventId?: string } | undefined)?.eventId;
  const sent = world.ecwid.webhooks.log.find((e) => e.eventId === eventId);
  return sent && run.doneAt !== undefined ? run.doneAt - sent.changedAt : undefined;
};

const ecwidIdOf = (w: EcwidInstantWorld, contactId: string) =>
  w.ghl.state.contacts.get(contactId)?.customFields.find((f) => f.id === w.settings.ecwidIdFieldId)?.value;
const contactsOf = (w: EcwidInstantWorld, ecwidId: number) =>
  [...w.ghl.state.contacts.values()].filter((c) => String(ecwidIdOf(w, c.id) ?? '') === String(ecwidId));

export const runEcwidInstant = async (log: Log = () => undefined): Promise<{ ok: boolean; checks: InstantCheck[] }> => {
  const checks: InstantCheck[] = [];
  const check = (what: string, ok: boolean, detail?: string) => {
    checks.push({ flow: 'ecwid-instant', what, ok, detail });
    log(`   ${ok ? '✔' : '✘'} ${what}${detail ? ` — ${detail}` : ''}`);
  };
  log();
  log('── Flows 2 and 3 from Ecwid webhooks: Ecwid sandbox → relay (POST /webhooks/ecwid) → instant triggers → GHL');
  let world: EcwidInstantWorld | undefined;
  try {
    world = await startEcwidInstantWorld();
    const w = world;
    log(
      `   relay on ${w.relayUrl}; Ecwid webhooks signed with the app's client secret; 3 Zaps on (New Customer, Customer Updated, Customer Deleted (Instant)): ${(await w.relay!.store.stats()).subscriptions} subscriptions, each token checked with one GET /${w.ecwid.state.store.id}/profile`,
    );
    let stepsPrinted = w.zap.steps.length;
    const change = async (title: string, zap: keyof typeof ECWID_INSTANT_ZAPS, act: () => void) => {
      const before = w.zaps.runs.length;
      log();
      log(`── ${ECWID_INSTANT_ZAPS[zap]} — ${title}`);
      act();
      await w.zaps.until(`the ${zap} Zap`, () => w.zaps.runs.slice(before).some((r) => r.zap === zap && r.doneAt !== undefined));
      await w.ecwid.webhooks.flush();
      await w.zaps.settled();
      const runs = w.zaps.runs.slice(before);
      for (const s of w.zap.steps.slice(stepsPrinted))
        log(
          `   • ${s.name} [${s.key}] (${s.requests} GHL request${s.requests === 1 ? '' : 's'}, ${s.ms} ms)${s.error ? ` FAILED: ${s.error}` : ''}`,
        );
      stepsPrinted = w.zap.steps.length;
      for (const r of runs) {
        const ms = latencyOf(w, r);
        log(
          `   ⏱ ${r.zap}: Ecwid change → GHL write done in ${ms === undefined ? '?' : `${Math.round(ms)} ms`} (trigger: ${r.items?.length ?? 0} item(s)${r.error ? `, error: ${r.error}` : ''})`,
        );
      }
      return runs;
    };

    const jules = { id: 0 };
    const registered = await change('Jules registers in the Ecwid store', 'new_customer_instant', () => {
      jules.id = w.ecwid.state.register({
        email: 'jules.okafor@example.com',
        firstName: 'Jules',
        lastName: 'Okafor',
        phone: '+1 503 555 0187',
        street: '7 Pier Street',
        city: 'Portland',
        postalCode: '97210',
        stateOrProvinceCode: 'OR',
        countryCode: 'US',
      }).id;
    });
    const created = contactsOf(w, jules.id);
    check(
      'the registration reaches GHL once: one contact with the Ecwid Customer ID, tagged, with its welcome task',
      registered.length === 1 &&
        created.length === 1 &&
        created[0]!.tags.includes('ecwid-customer') &&
        [...w.ghl.state.tasks.values()].filter((t) => t.contactId === created[0]!.id).length === 1,
      created[0] ? `${created[0].email}, contact ${created[0].id}` : 'no contact',
    );
    const edit1 = await change('edit 1 in Ecwid: new address, group "Wholesale"', 'customer_updated_instant', () =>
      w.ecwid.state.edit(jules.id, { customerGroupId: 2, billingPerson: { street: '18 Alder Lane', city: 'Portland' } }),
    );
    const afterEdit1 = contactsOf(w, jules.id)[0];
    check(
      'edit 1 reaches GHL once: address and group tag follow Ecwid',
      edit1.length === 1 && afterEdit1?.address1 === '18 Alder Lane' && !!afterEdit1?.tags.includes('ecwid-group:Wholesale'),
      afterEdit1 ? `${afterEdit1.address1}; tags ${afterEdit1.tags.join(', ')}` : 'no contact',
    );
    const edit2 = await change('edit 2 in Ecwid: new phone and city', 'customer_updated_instant', () =>
      w.ecwid.state.edit(jules.id, { billingPerson: { phone: '+1 503 555 0199', city: 'Beaverton' } }),
    );
    const afterEdit2 = contactsOf(w, jules.id);
    check(
      'edit 2 reaches GHL once: phone and city follow Ecwid; still one contact',
      edit2.length === 1 && afterEdit2.length === 1 && afterEdit2[0]!.city === 'Beaverton' && afterEdit2[0]!.phone === '+15035550199',
      afterEdit2[0] ? `${afterEdit2[0].city}, ${afterEdit2[0].phone}` : 'no contact',
    );
    const removal = await change('the customer is deleted in Ecwid', 'customer_deleted_instant', () => w.ecwid.state.remove(jules.id));
    check(
      'the deletion reaches GHL once: the contact and its tasks are deleted',
      removal.length === 1 && contactsOf(w, jules.id).length === 0,
      `${contactsOf(w, jules.id).length} contact(s) left with Ecwid id ${jules.id}`,
    );
    const all = w.zaps.runs;
    const perEvent = new Map<string, number>();
    for (const r of all) perEvent.set(r.eventId, (perEvent.get(r.eventId) ?? 0) + 1);
    check(
      'each Ecwid webhook was delivered once (4 events, 4 Zap runs, every Ecwid attempt answered 200 the first time)',
      all.length === 4 && [...perEvent.values()].every((n) => n === 1) && w.ecwid.webhooks.log.every((e) => e.statuses.join() === '200'),
      all.map((r) => `${r.zap} ${Math.round(latencyOf(w, r) ?? NaN)} ms`).join('; '),
    );

    log();
    log('── A forged and an altered webhook (the body is not signed): neither starts a Zap');
    const before = w.zaps.runs.length;
    const health0 = (await (await fetch(`${w.relayUrl}/healthz`)).json()) as { refused: Record<string, number> };
    const forged = await fetch(`${w.relayUrl}/webhooks/ecwid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ecwid-webhook-signature': 'bm90IGEgc2lnbmF0dXJl' },
      body: JSON.stringify({
        eventId: 'forged-1',
        eventCreated: Math.floor(Date.now() / 1000),
        storeId: 1003,
        entityId: 274839105,
        eventType: 'customer.deleted',
      }),
    });
    const health1 = (await (await fetch(`${w.relayUrl}/healthz`)).json()) as { refused: Record<string, number> };
    check(
      'a webhook without a valid X-Ecwid-Webhook-Signature is refused (401) and counted',
      forged.status === 401 && health1.refused.bad_signature === health0.refused.bad_signature! + 1,
    );
    const dropsBefore = droppedEvents['customer still exists in Ecwid'] ?? 0;
    const { ecwidSignature } = await import('../relay/sources/ecwid.js');
    const e = {
      eventId: `altered-${Date.now()}`,
      eventCreated: Math.floor(Date.now() / 1000),
      storeId: 1003,
      entityId: 274839105,
      eventType: 'customer.deleted',
      data: {},
    };
    await fetch(`${w.relayUrl}/webhooks/ecwid`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ecwid-webhook-signature': ecwidSignature(w.ecwid.clientSecret, e.eventCreated, e.eventId),
      },
      body: JSON.stringify(e),
    });
    await w.zaps.until(
      'the altered deletion run',
      () => w.zaps.runs.length === before + 1 && w.zaps.runs.every((r) => r.doneAt !== undefined),
    );
    check(
      'a signed "deletion" of a customer who still exists is dropped by the trigger (it asks Ecwid): no GHL step',
      (w.zaps.runs.at(-1)?.items ?? []).length === 0 && (droppedEvents['customer still exists in Ecwid'] ?? 0) === dropsBefore + 1,
      `Olivia Bennett still in GHL: ${contactsOf(w, 274839105).length === 1}`,
    );
  } catch (error) {
    check('the Ecwid instant flows ran to the end', false, (error as Error).message);
  } finally {
    await world?.close();
  }
  return { ok: checks.every((c) => c.ok), checks };
};
