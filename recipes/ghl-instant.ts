/**
 * The instant Zap of `npm run demo` (issue 13): GHL (the sandbox, sending signed app-level
 * webhooks) → the relay (in-process, its own SQLite file) → a local stand-in for Zapier's hook
 * endpoint that runs the Zap: the app's New Contact (Instant) trigger, then a GHL step (Create
 * Task). Also a Contact Deleted (Instant) Zap, which polling cannot do, and turning a Zap off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import App from '../index.js';
import { ZapRunner } from './zap-runner.js';
import { startSandbox } from '../sandbox/server.js';
import { loadConfig } from '../relay/config.js';
import { startRelay } from '../relay/server.js';

export interface InstantCheck {
  flow: string;
  what: string;
  ok: boolean;
  detail?: string;
}

type Log = (line?: string) => void;
type Op = { operation: Record<string, (z: unknown, b: unknown) => unknown> };

const preciseNow = () => performance.timeOrigin + performance.now();

export const runInstantZap = async (log: Log = () => undefined): Promise<{ ok: boolean; checks: InstantCheck[] }> => {
  const checks: InstantCheck[] = [];
  const check = (what: string, ok: boolean, detail?: string) => {
    checks.push({ flow: 'instant', what, ok, detail });
    log(`   ${ok ? '✔' : '✘'} ${what}${detail ? ` — ${detail}` : ''}`);
  };
  const savedEnv = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'relay-demo-'));
  const sandbox = await startSandbox({ webhooks: { retryBaseMs: 1000 } });
  const relay = await startRelay(
    loadConfig({
      RELAY_PORT: '0',
      RELAY_SQLITE_PATH: join(dir, 'relay.sqlite'),
      RELAY_GHL_PUBLIC_KEY: sandbox.webhooks.publicKey,
      RELAY_GHL_API_BASE_URL: sandbox.url,
      RELAY_ALLOWED_TARGETS: 'http://127.0.0.1:*',
      RELAY_QUIET: '1',
    }),
  );
  const zap = new ZapRunner(sandbox);
  const runs: Array<{ key: string; startedAt: number; output?: unknown; error?: string; done: Promise<void> }> = [];
  const zaps = new Map<string, (items: Array<Record<string, unknown>>) => Promise<void>>();
  const inputs = new Map<string, Record<string, unknown>>([['contact_tag_added_instant', { tag: 'vip' }]]);

  // Zapier's side: each hook URL is one Zap; a delivery runs its trigger, then its action steps.
  const zapier = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const key = (req.url ?? '').split('/').pop() ?? '';
      const startedAt = preciseNow();
      const run = { key, startedAt, done: Promise.resolve() as Promise<void> } as (typeof runs)[number];
      runs.push(run);
      res.writeHead(zaps.has(key) ? 200 : 410, { 'content-type': 'application/json' }).end('{"status":"success"}');
      const steps = zaps.get(key);
      if (!steps) return;
      const trigger = (App.triggers as unknown as Record<string, Op>)[key]!;
      run.done = (async () => {
        const items = (await zap.appTester(
          trigger.operation.perform as never,
          {
            authData: zap.authData,
            inputData: inputs.get(key) ?? {},
            cleanedRequest: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          } as never,
        )) as Array<Record<string, unknown>>;
        run.output = items;
        await steps(items);
      })().catch((e: unknown) => {
        run.error = (e as Error).message;
      });
    });
  });
  await new Promise<void>((resolve) => zapier.listen(0, '127.0.0.1', () => resolve()));
  const hookUrl = (key: string) => `http://127.0.0.1:${(zapier.address() as AddressInfo).port}/hooks/standard/1/${key}`;

  const turnOn = async (key: string, steps: (items: Array<Record<string, unknown>>) => Promise<void>) => {
    const op = (App.triggers as unknown as Record<string, Op>)[key]!.operation;
    const sub = (await zap.appTester(
      op.performSubscribe as never,
      { authData: zap.authData, inputData: inputs.get(key) ?? {}, targetUrl: hookUrl(key) } as never,
    )) as {
      id: string;
    };
    zaps.set(key, steps);
    return sub;
  };
  const waitForRun = async (key: string, from: number, ms = 10_000) => {
    const until = Date.now() + ms;
    for (;;) {
      const run = runs.slice(from).find((r) => r.key === key);
      if (run) {
        await run.done;
        return run;
      }
      if (Date.now() > until) return undefined;
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  // A user working in GHL itself (not through the Zap): the sandbox API with a token of its own.
  const ghlUser = sandbox.issueTokens().access_token;
  const inGhl = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ghlUser}`,
        version: '2021-07-28',
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  try {
    log();
    log('── Instant Zap — GHL webhook → relay → Zapier REST hook (New Contact (Instant) → Create Task)');
    await zap.connect();
    process.env.RELAY_URL = relay.url;
    sandbox.webhooks.setUrl(`${relay.url}/webhooks/ghl`);
    log(`   relay on ${relay.url} (SQLite), GHL webhooks signed with the sandbox's test Ed25519 key`);

    const sub = await turnOn('new_contact_instant', async (items) => {
      const contact = items[0];
      if (!contact) return;
      await zap.step('Create welcome task', 'creates', 'create_task', {
        contactId: contact.contactId,
        title: 'Welcome call (instant Zap)',
        dueDate: '2026-12-10T15:00:00Z',
      });
    });
    check(
      'turning the Zap on subscribes at the relay (token checked against GHL, not stored)',
      typeof sub.id === 'string',
      `subscription ${sub.id}`,
    );

    const before = runs.length;
    const changedAt = preciseNow();
    const created = await inGhl('POST', '/contacts/', {
      locationId: sandbox.locationId,
      firstName: 'Ines',
      lastName: 'Moreau',
      email: 'ines.moreau@example.com',
    });
    const run = await waitForRun('new_contact_instant', before);
    const contactId = created.body.contact?.id as string;
    const item = (run?.output as Array<Record<string, unknown>> | undefined)?.[0];
    log(
      `   • New Contact (Instant) [new_contact_instant] fired ${run ? `${Math.round(run.startedAt - changedAt)} ms` : 'never'} after the contact was created in GHL`,
    );
    log(`       got:  ${JSON.stringify({ id: item?.id, name: item?.name, email: item?.email })}`);
    const step = zap.steps.at(-1);
    if (step)
      log(
        `   • ${step.name} [${step.key}] (${step.requests} request${step.requests === 1 ? '' : 's'}, ${step.ms} ms) → ${step.error ?? JSON.stringify({ id: (step.output as any)?.id, title: (step.output as any)?.title })}`,
      );
    check(
      'the Zap ran for the new contact, shaped like New Contact',
      !!run && !run.error && item?.contactId === contactId && item?.email === 'ines.moreau@example.com',
      run?.error,
    );
    const tasks = [...sandbox.state.tasks.values()].filter((t) => t.contactId === contactId);
    check(
      'its GHL step created the task on that contact',
      tasks.length === 1 && tasks[0]!.title === 'Welcome call (instant Zap)',
      tasks[0]?.title,
    );
    check('no polling: the trigger sent no request to GHL', zap.steps.length === 1 && runs.length === before + 1);

    log();
    log('── Instant Zap — Contact Deleted (Instant): what polling cannot see');
    await turnOn('contact_deleted_instant', async () => undefined);
    const gone = [...sandbox.state.contacts.values()].find((c) => c.email && c.id !== contactId)!;
    const beforeDelete = runs.length;
    await inGhl('DELETE', `/contacts/${gone.id}`);
    const deletion = await waitForRun('contact_deleted_instant', beforeDelete);
    const deleted = (deletion?.output as Array<Record<string, unknown>> | undefined)?.[0];
    log(`       got:  ${JSON.stringify({ id: deleted?.id, name: deleted?.name, email: deleted?.email, deletedAt: deleted?.deletedAt })}`);
    check(
      'a deletion in GHL starts the Zap with the details the contact had',
      deleted?.contactId === gone.id && deleted?.email === gone.email,
      gone.email ?? '',
    );

    log();
    log('── Instant Zap — Contact Tag Added (Instant), tag "vip"');
    await turnOn('contact_tag_added_instant', async () => undefined);
    const beforeTag = runs.length;
    await inGhl('POST', `/contacts/${contactId}/tags`, { tags: ['vip'] });
    const tagged = await waitForRun('contact_tag_added_instant', beforeTag);
    const taggedItem = (tagged?.output as Array<Record<string, unknown>> | undefined)?.[0];
    log(`       got:  ${JSON.stringify({ id: taggedItem?.id, name: taggedItem?.name, tag: taggedItem?.tag })}`);
    const beforeOther = runs.length;
    await inGhl('POST', `/contacts/${contactId}/tags`, { tags: ['newsletter'] });
    const other = await waitForRun('contact_tag_added_instant', beforeOther);
    check(
      'adding "vip" starts the Zap; adding another tag to the same contact does not',
      taggedItem?.tag === 'vip' && taggedItem?.contactId === contactId && !!other && (other.output as unknown[]).length === 0,
      `then "newsletter": ${other ? `${(other.output as unknown[]).length} item(s)` : 'no delivery'}`,
    );

    log();
    log('── Turning the Zap off');
    const op = (App.triggers as unknown as Record<string, Op>).new_contact_instant!.operation;
    await zap.appTester(op.performUnsubscribe as never, { authData: zap.authData, subscribeData: sub } as never);
    zaps.delete('new_contact_instant');
    const beforeOff = runs.length;
    await inGhl('POST', '/contacts/', { locationId: sandbox.locationId, firstName: 'Noah', email: 'noah.after-off@example.com' });
    await sandbox.webhooks.flush();
    await new Promise((r) => setTimeout(r, 300));
    check(
      'after unsubscribing, a new contact starts no Zap',
      runs.slice(beforeOff).every((r) => r.key !== 'new_contact_instant'),
      `${(await relay.store.stats()).subscriptions} subscription(s) left`,
    );
  } catch (error) {
    check('the instant Zap ran to the end', false, (error as Error).message);
  } finally {
    process.env = savedEnv;
    await relay.close();
    await sandbox.close();
    await new Promise<void>((resolve) => {
      zapier.close(() => resolve());
      zapier.closeAllConnections();
    });
    rmSync(dir, { recursive: true, force: true });
  }
  return { ok: checks.every((c) => c.ok), checks };
};
