/**
 * The story of `npm run demo` (entry: scripts/demo.ts), told in one world (recipes/demo/world.ts):
 * one GHL sandbox, one Ecwid sandbox, one relay, wired once. Both apps are connected through their
 * own OAuth code (recipes/demo/connect.ts); the flow 2 and flow 3 Zaps run on the Ecwid app's
 * polling triggers with Zapier's dedupe semantics, flow 1 pulls a profile (recipes/demo/polling.ts,
 * recipes/demo/removal.ts); then GHL's instant triggers (recipes/demo/ghl-instant.ts) and flows 2 and 3
 * from Ecwid's webhooks, timed per event (recipes/demo/ecwid-instant.ts). Customer data comes from
 * fixtures/ecwid/. Every step is a Zap step a user could build: its ids come from the trigger or an
 * earlier step; what the shop or a GHL user does by hand happens in the stores.
 */
import { connectBothApps } from './connect.js';
import { registerMary, runFlow2, switchOnPollingZaps } from './polling.js';
import { runFlow3 } from './removal.js';
import { startDemoWorld, type Check, type Log } from './world.js';
import { runEcwidInstant } from './ecwid-instant.js';
import { runGhlInstant } from './ghl-instant.js';
import type { StepRecord } from '../zap-runner.js';

export type { Check } from './world.js';

export interface DemoResult {
  ok: boolean;
  checks: Check[];
  steps: StepRecord[];
  requests: number;
  refreshes: number;
  connectionLabel: string;
}

export const runDemo = async (log: Log = () => undefined, options: { accessTokenTtlSeconds?: number } = {}): Promise<DemoResult> => {
  const w = await startDemoWorld(log, options);
  const { zap, checks } = w;
  try {
    const { settings, heardField } = await connectBothApps(w);
    await switchOnPollingZaps(w);
    const flow2 = await runFlow2(w, settings, heardField);
    const { twinEmails } = await runFlow3(w, settings, flow2);
    const mary = await registerMary(w, settings, heardField);
    await runGhlInstant(w, twinEmails[1]!);
    await runEcwidInstant(w, settings, { id: mary.id, email: mary.email ?? '' });
  } catch (error) {
    w.printSteps();
    w.check('demo', 'the demo ran to the end', false, (error as Error).message);
  } finally {
    await w.close();
  }

  const result: DemoResult = {
    ok: checks.length > 0 && checks.every((c) => c.ok),
    checks,
    steps: zap.steps,
    requests: w.ghl.requests.length,
    refreshes: Math.max(0, zap.refreshTokens.length - 1),
    connectionLabel: zap.connectionLabel,
  };
  log();
  log(
    `── Summary: ${checks.filter((c) => c.ok).length}/${checks.length} checks passed; ${zap.steps.filter((s) => s.kind !== 'filter').length} Zap steps; ${result.requests} GHL requests (incl. OAuth, the relay's token checks and ${w.userRequests} by the GHL user by hand); ${result.refreshes} token refresh(es)`,
  );
  log(
    `   ${w.ecwid.requests.length} Ecwid requests (incl. OAuth and the relay's token checks); ${zap.steps.filter((st) => st.kind === 'triggers').length} polls`,
  );
  for (const flow of ['connect', 'poll', 'sync', 'profile', 'removal', 'instant', 'ecwid-instant', 'demo']) {
    const mine = checks.filter((c) => c.flow === flow);
    if (mine.length)
      log(`   ${flow.padEnd(13)} ${mine.every((c) => c.ok) ? 'PASS' : 'FAIL'} (${mine.filter((c) => c.ok).length}/${mine.length})`);
  }
  return result;
};
