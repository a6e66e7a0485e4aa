/**
 * The operator console (relay/admin.ts, relay/console.ts; issue 19) in a real headless Chromium
 * (Debian's /usr/bin/chromium driven by playwright-core; .ci/run installs it): subscriptions by
 * location, dead and pending deliveries with attempts and last error, re-send one and all dead
 * deliveries of a subscription, pause and resume. Plus its API's guards without a browser.
 * Every wait is for the page's DOM, a delivery, or the store.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startRelay, type Relay } from '../../relay/server.js';
import { ghlEvent, hookReceiver, postWebhook, relayConfig, testKeys, waitFor } from './helpers.js';

const CHROMIUM = process.env.RELAY_TEST_CHROMIUM || '/usr/bin/chromium';
const TOKEN = 'admin-token-0123456789abcdef';
const keys = testKeys();

const api = (relay: Relay, method: string, path: string, token?: string) =>
  fetch(`${relay.url}/admin/api${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as any,
  }));

describe('the console API', () => {
  let relay: Relay | undefined;
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
  });

  it('is off without RELAY_ADMIN_TOKEN', async () => {
    relay = await startRelay(relayConfig(keys));
    const page = await fetch(`${relay.url}/admin`);
    expect(page.status).toBe(404);
    expect(await page.json()).toEqual({ error: 'The operator console is off: set RELAY_ADMIN_TOKEN to turn it on' });
    expect((await api(relay, 'GET', '/subscriptions', 'anything')).status).toBe(404);
  });

  it('refuses a short admin token at start', async () => {
    await expect(startRelay(relayConfig(keys, { RELAY_ADMIN_TOKEN: 'short' }))).rejects.toThrow(
      "RELAY_ADMIN_TOKEN must be at least 16 characters (a random string of the operator's own)",
    );
  });

  it('answers only the admin token, and never shows an event body or a hook path', async () => {
    relay = await startRelay(relayConfig(keys, { RELAY_ADMIN_TOKEN: TOKEN, RELAY_MAX_ATTEMPTS: '1' }));
    const hook = await hookReceiver(() => 500);
    try {
      await relay.store.addSubscription({
        id: 'sub-1',
        locationId: 'locA',
        event: 'ContactCreate',
        targetUrl: `${hook.url}/secret-path`,
        createdAt: 1,
      });
      await postWebhook(relay.url, ghlEvent('ContactCreate', 'locA', { email: 'jane.secret@example.com' }), { key: keys.ed25519 });
      await waitFor('the dead delivery', async () => (await relay!.store.stats()).dead === 1);
      for (const token of [undefined, 'wrong-token-0123456789']) {
        const res = await api(relay, 'GET', '/subscriptions', token);
        expect(res).toEqual({ status: 401, body: { error: 'Send "Authorization: Bearer <RELAY_ADMIN_TOKEN>"' } });
      }
      const subs = await api(relay, 'GET', '/subscriptions', TOKEN);
      expect(subs).toEqual({
        status: 200,
        body: {
          subscriptions: [
            {
              id: 'sub-1',
              locationId: 'locA',
              event: 'ContactCreate',
              targetHost: new URL(hook.url).host,
              createdAt: 1,
              paused: false,
              pending: 0,
              dead: 1,
            },
          ],
        },
      });
      const dead = await api(relay, 'GET', '/deliveries?state=dead', TOKEN);
      expect(dead.body.deliveries).toEqual([
        expect.objectContaining({ subscriptionId: 'sub-1', state: 'dead', attempts: 1, lastError: 'HTTP 500' }),
      ]);
      expect(JSON.stringify([subs, dead])).not.toMatch(/jane\.secret|secret-path/);
      expect((await api(relay, 'POST', '/deliveries/999/resend', TOKEN)).status).toBe(404);
      expect((await api(relay, 'POST', '/subscriptions/nope/pause', TOKEN)).status).toBe(404);
    } finally {
      await hook.close();
    }
  });
});

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`No Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium package`);
if (!haveChromium) console.warn(`console browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

(haveChromium ? describe : describe.skip)('the console in Chromium', () => {
  let browser: Browser;
  let relay: Relay;
  let hook: Awaited<ReturnType<typeof hookReceiver>>;
  let answer = 500;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    relay = await startRelay(relayConfig(keys, { RELAY_ADMIN_TOKEN: TOKEN, RELAY_MAX_ATTEMPTS: '1' }));
    hook = await hookReceiver(() => answer);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.close();
    await hook?.close();
  });

  const cell = (page: Page, sub: string, field: string) => page.textContent(`tr[data-subscription="${sub}"] td[data-field="${field}"]`);
  const rows = (page: Page, table: 'pending' | 'dead') => page.locator(`#${table} tr[data-delivery]`);
  // Page callbacks are functions, not strings (the console's CSP forbids eval), serialised into the
  // page: they reach its globals through globalThis.
  /** Clicks a button whose action re-renders the page, and waits for that render. */
  const clickAndReload = async (page: Page, selector: string) => {
    const before = await page.getAttribute('body', 'data-loaded');
    await page.click(selector);
    await page.waitForFunction((b) => (globalThis as any).document.body.getAttribute('data-loaded') !== b, before);
  };

  it('lists, re-sends, pauses and resumes', async () => {
    const at = Date.now();
    for (const [id, locationId, event, path] of [
      ['sub-1', 'locA', 'ContactCreate', '/one'],
      ['sub-2', 'locA', 'TaskCreate', '/two'],
      ['sub-3', 'locB', 'ContactCreate', '/three'],
    ] as const) {
      await relay.store.addSubscription({ id, locationId, event, targetUrl: `${hook.url}${path}`, createdAt: at });
    }
    for (const locationId of ['locA', 'locA', 'locB'])
      await postWebhook(relay.url, ghlEvent('ContactCreate', locationId), { key: keys.ed25519 });
    await waitFor('three dead deliveries', async () => (await relay.store.stats()).dead === 3);

    const page = await browser.newPage();
    const res = await page.goto(`${relay.url}/admin`);
    expect(res!.headers()['content-security-policy']).toMatch(
      /^default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; connect-src 'self'/,
    );

    // A wrong token is refused; the right one opens the console.
    await page.fill('#token', 'wrong-token-0123456789');
    await page.click('#sign-in');
    await page.waitForFunction(() => (globalThis as any).document.getElementById('status').textContent === 'The admin token was refused.');
    expect(await page.isVisible('#login')).toBe(true);
    await page.fill('#token', TOKEN);
    await page.click('#sign-in');
    await page.waitForSelector('body[data-loaded]');

    expect(await page.locator('#subscriptions h3').allTextContents()).toEqual(['Location / store locA', 'Location / store locB']);
    expect(await page.locator('table[data-location="locA"] tr[data-subscription] td:first-child').allTextContents()).toEqual([
      'ContactCreate',
      'TaskCreate',
    ]);
    expect([await cell(page, 'sub-1', 'state'), await cell(page, 'sub-1', 'pending'), await cell(page, 'sub-1', 'dead')]).toEqual([
      'active',
      '0',
      '2',
    ]);
    expect(await cell(page, 'sub-3', 'dead')).toBe('1');
    expect(await rows(page, 'dead').count()).toBe(3);
    expect(await page.locator('#dead td[data-field="attempts"]').allTextContents()).toEqual(['1', '1', '1']);
    expect(await page.locator('#dead td[data-field="error"]').allTextContents()).toEqual(['HTTP 500', 'HTTP 500', 'HTTP 500']);

    // Re-send one dead delivery (locB's).
    answer = 200;
    const locB = page.locator('#dead tr[data-delivery]', { hasText: 'locB' });
    await clickAndReload(page, `#dead tr[data-delivery="${await locB.getAttribute('data-delivery')}"] button[data-action="resend"]`);
    await waitFor('the re-sent delivery', () => hook.received.filter((r) => r.path === '/three').length === 2);
    await waitFor('it to leave the store', async () => (await relay.store.stats()).dead === 2 && (await relay.store.stats()).pending === 0);
    await clickAndReload(page, '#refresh');
    expect(await rows(page, 'dead').count()).toBe(2);
    expect(await cell(page, 'sub-3', 'dead')).toBe('0');

    // Re-send all dead deliveries of sub-1.
    await clickAndReload(page, 'tr[data-subscription="sub-1"] button[data-action="resend-dead"]');
    expect(await page.textContent('#status')).toBe('Re-sent 2 dead deliveries of sub-1');
    await waitFor('both re-sent deliveries', () => hook.received.filter((r) => r.path === '/one').length === 4);
    await waitFor('no dead left', async () => (await relay.store.stats()).dead === 0 && (await relay.store.stats()).pending === 0);
    await clickAndReload(page, '#refresh');
    expect(await rows(page, 'dead').count()).toBe(0);

    // Pause sub-2: its event is kept, not sent; resume sends it.
    await clickAndReload(page, 'tr[data-subscription="sub-2"] button[data-action="pause"]');
    expect(await cell(page, 'sub-2', 'state')).toBe('paused');
    await postWebhook(relay.url, ghlEvent('TaskCreate', 'locA'), { key: keys.ed25519 });
    await waitFor('the queued delivery', async () => (await relay.store.stats()).pending === 1);
    await clickAndReload(page, 'tr[data-subscription="sub-2"] button[data-action="show"]');
    expect(await page.textContent('#filter')).toBe('of subscription sub-2');
    expect(await rows(page, 'pending').count()).toBe(1);
    expect(await page.textContent('#pending td[data-field="attempts"]')).toBe('0');
    expect(hook.received.filter((r) => r.path === '/two')).toEqual([]);
    await clickAndReload(page, 'tr[data-subscription="sub-2"] button[data-action="resume"]');
    expect(await cell(page, 'sub-2', 'state')).toBe('active');
    await waitFor('the resumed delivery', () => hook.received.filter((r) => r.path === '/two').length === 1);

    // Forgetting the token closes the console.
    await page.click('#logout');
    expect(await page.isVisible('#login')).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('relayAdminToken'))).toBeNull();
  }, 60_000);
});
