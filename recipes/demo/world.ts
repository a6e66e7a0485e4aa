/**
 * The world of `npm run demo` (scripts/demo.ts → recipes/demo/story.ts), wired once for the whole
 * story: one GHL sandbox, one Ecwid sandbox, one webhook relay (its own SQLite file) that both
 * sandboxes send their signed webhooks to from the start, one local stand-in for Zapier's hook
 * endpoint (recipes/zap-host.ts), and both apps' connections (recipes/zap-runner.ts). Also the
 * transcript: sections, checks and the steps of each Zap run, named once. One clock: the host's
 * (both sandboxes write it; no part of the story moves it).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEcwidSandbox, type EcwidSandbox } from '../../ecwid/sandbox/server.js';
import { loadConfig } from '../../relay/config.js';
import { startRelay, type Relay } from '../../relay/server.js';
import { startSandbox, type Sandbox } from '../../sandbox/server.js';
import { short, summarize, withoutBlanks } from './helpers.js';
import { startZapHost, type AppTester, type ZapHost } from '../zap-host.js';
import { EcwidTriggerRunner, ZapRunner, type StepRecord } from '../zap-runner.js';

export interface Check {
  flow: string;
  what: string;
  ok: boolean;
  detail?: string;
}

export type Log = (line?: string) => void;

export interface DemoWorld {
  ghl: Sandbox;
  ecwid: EcwidSandbox;
  relay: Relay;
  /** Zapier's side of the instant Zaps: one hook URL per Zap. */
  zapier: ZapHost;
  /** The GHL app's connection; every step of every Zap is recorded here, in order. */
  zap: ZapRunner;
  /** The Ecwid Customers app's connection and its polling triggers. */
  ecwidApp: EcwidTriggerRunner;
  checks: Check[];
  log: Log;
  check(flow: string, what: string, ok: boolean, detail?: string): void;
  section(title: string): void;
  /** Prints the steps recorded since the last call; `mapped`: also what each step was sent and got. */
  printSteps(mapped?: boolean): void;
  /** A user working in GHL itself (not through a Zap): the sandbox's API with a token of its own. */
  inGhl(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** How many GHL requests the GHL user sent by hand (not the app's). */
  readonly userRequests: number;
  /**
   * A change in the Ecwid store, at least a second after the previous one: Ecwid's `updated` has
   * whole seconds and the New or Updated Customer trigger's id is the customer id plus that time,
   * so two edits within one second would be one change to Zapier, in a real store too.
   */
  inEcwid<T>(change: () => T): Promise<T>;
  close(): Promise<void>;
}

const stepLine = (s: StepRecord) =>
  s.kind === 'filter'
    ? `   • Filter by Zapier: ${s.name}`
    : `   • ${s.name} (${s.requests} request${s.requests === 1 ? '' : 's'}, ${s.ms} ms)${s.error ? ` FAILED: ${s.error}` : ''}`;

export const startDemoWorld = async (log: Log, opts: { accessTokenTtlSeconds?: number } = {}): Promise<DemoWorld> => {
  const savedEnv = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'demo-relay-'));
  // The story's days happen in seconds: GHL's 100-requests-per-10-s limit is not part of it (docs/performance.md).
  const ghl = await startSandbox({ accessTokenTtlSeconds: opts.accessTokenTtlSeconds, rateLimit: false, webhooks: { retryBaseMs: 1000 } });
  const ecwid = await startEcwidSandbox();
  const relay = await startRelay(
    loadConfig({
      RELAY_PORT: '0',
      RELAY_SQLITE_PATH: join(dir, 'relay.sqlite'),
      RELAY_GHL_PUBLIC_KEY: ghl.webhooks.publicKey,
      RELAY_GHL_API_BASE_URL: ghl.url,
      RELAY_ECWID_CLIENT_SECRET: ecwid.clientSecret,
      RELAY_ECWID_API_BASE_URL: ecwid.apiBaseUrl,
      RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
      RELAY_QUIET: '1',
    }),
  );
  // The marketplace apps' webhook URLs, set once: every change in either sandbox reaches the relay,
  // which hands it on only to the Zaps subscribed to it (none until the instant part).
  ghl.webhooks.setUrl(`${relay.url}/webhooks/ghl`);
  ecwid.webhooks.setUrl(`${relay.url}/webhooks/ecwid`);
  process.env.RELAY_URL = relay.url;
  const zap = new ZapRunner(ghl);
  const ecwidApp = new EcwidTriggerRunner(ecwid, zap);
  const zapier = await startZapHost(ecwidApp.appTester as unknown as AppTester);
  const checks: Check[] = [];
  let printed = 0;
  let lastEcwidChange = 0;
  let userRequests = 0;

  return {
    ghl,
    ecwid,
    relay,
    zapier,
    zap,
    ecwidApp,
    checks,
    log,
    check: (flow, what, ok, detail) => {
      checks.push({ flow, what, ok, detail });
      log(`   ${ok ? '✔' : '✘'} ${what}${detail ? ` — ${detail}` : ''}`);
    },
    section: (title) => {
      log();
      log(`── ${title}`);
    },
    printSteps: (mapped = true) => {
      for (const s of zap.steps.slice(printed)) {
        log(stepLine(s));
        if (!mapped) continue;
        if (s.kind !== 'filter' && s.kind !== 'triggers') log(`       sent: ${short(withoutBlanks(s.input))}`);
        log(`       got:  ${s.error ? `FAILED: ${s.error}` : summarize(s)}`);
      }
      printed = zap.steps.length;
    },
    get userRequests() {
      return userRequests;
    },
    // A token of the user's own per change (the demo expires the app's tokens on purpose, not the user's).
    inGhl: async (method, path, body) => {
      userRequests += 1;
      const r = await fetch(`${ghl.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ghl.issueTokens().access_token}`,
          version: '2021-07-28',
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as any };
    },
    inEcwid: async (change) => {
      const wait = Math.floor(lastEcwidChange / 1000) * 1000 + 1000 - ecwid.state.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      lastEcwidChange = ecwid.state.now();
      return change();
    },
    close: async () => {
      process.env = savedEnv;
      await relay.close();
      await zapier.close();
      await ecwid.close();
      await ghl.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
