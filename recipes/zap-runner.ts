/**
 * Runs the app's real operations the way Zapier runs a Zap's steps, against the local sandbox:
 * connects through the app's own OAuth code (authorize URL → GHL's chooselocation page → code →
 * token), refreshes and retries once when a step meets an expired token (Zapier's autoRefresh),
 * and implements search-or-create (search, then update or create). Used by `npm run demo` and the
 * end-to-end tests; never part of build.zip. `EcwidTriggerRunner` (below) does the same for the
 * Ecwid Customers app's polling triggers against the Ecwid sandbox.
 */
import zapier from 'zapier-platform-core';
import App from '../index.js';
import EcwidApp from '../ecwid/index.js';
import type { EcwidSandbox } from '../ecwid/sandbox/server.js';
import type { Sandbox } from '../sandbox/server.js';

type Kind = 'triggers' | 'searches' | 'creates';
type AuthData = Record<string, string>;
type Perform = (z: unknown, bundle: unknown) => unknown;
type Operation = { operation: { perform: Perform } };

export interface StepRecord {
  name: string;
  kind: Kind | 'searchOrCreates' | 'filter';
  key: string;
  input: Record<string, unknown>;
  output?: unknown;
  error?: string;
  /** Requests the sandbox received during the step (including a token refresh). */
  requests: number;
  ms: number;
}

/** Submits the first form of an HTML page the way a browser would (hidden inputs and checked radios). */
export const submitFirstForm = async (pageUrl: string, html: string): Promise<Response> => {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`No form on ${pageUrl}`);
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1] ?? '';
    const type = /type="([^"]*)"/.exec(attrs)?.[1] ?? 'text';
    if (!name || (type === 'radio' && !/\schecked/.test(attrs))) continue;
    fields.append(
      name,
      value
        .replace(/&amp;/g, '&')
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&#39;/g, "'"),
    );
  }
  return fetch(new URL(form[1] as string, pageUrl), {
    method: 'POST',
    body: fields,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
};

/**
 * The OAuth connection as a user clicking "Connect" in Zapier makes it, for either app: the app's
 * authorize URL, the provider's page (the sandbox's), Approve, the redirect back with the code (its
 * state checked), the code exchange, then the connection test and label.
 */
const connectThroughOAuth = async (
  call: (fn: unknown, bundle: Record<string, unknown>) => Promise<any>,
  authentication: NonNullable<typeof App.authentication>,
  redirectUri: string,
  pageName: string,
): Promise<{ authData: AuthData; connectionLabel: string }> => {
  const oauth = authentication.oauth2Config!;
  const state = `st-${Date.now()}`;
  const authorizeUrl: string = await call(oauth.authorizeUrl, { inputData: { redirect_uri: redirectUri, state } });
  const page = await fetch(authorizeUrl);
  if (page.status !== 200) throw new Error(`${pageName} answered ${page.status}: ${await page.text()}`);
  const approved = await submitFirstForm(authorizeUrl, await page.text());
  const location = approved.headers.get('location');
  if (approved.status !== 302 || !location) throw new Error(`Approving did not redirect (HTTP ${approved.status})`);
  const back = new URL(location);
  if (back.searchParams.get('state') !== state) throw new Error('The state did not come back unchanged');
  // Zapier hands getAccessToken every query parameter of the redirect (Ecwid adds store_id), plus redirect_uri.
  const authData = await call(oauth.getAccessToken, {
    inputData: { ...Object.fromEntries(back.searchParams), redirect_uri: redirectUri },
  });
  const tested = await call(authentication.test, { authData });
  const connectionLabel = await call(authentication.connectionLabel, { authData, inputData: tested });
  return { authData, connectionLabel };
};

export class ZapRunner {
  readonly steps: StepRecord[] = [];
  readonly appTester = zapier.createAppTester(App);
  authData: AuthData = {};
  connectionLabel = '';
  /** Refresh tokens seen, oldest first: a rotated one must never be sent again. */
  readonly refreshTokens: string[] = [];

  constructor(readonly sandbox: Sandbox) {}

  /** Points the app at the sandbox the way `.env` does for `zapier-platform invoke`. */
  static useSandbox(sandbox: Sandbox): void {
    process.env.GHL_API_BASE_URL = sandbox.url;
    process.env.GHL_AUTH_BASE_URL = sandbox.url;
    process.env.CLIENT_ID = sandbox.clientId;
    process.env.CLIENT_SECRET = sandbox.clientSecret;
  }

  private call(fn: unknown, bundle: Record<string, unknown>): Promise<any> {
    return this.appTester(fn as never, bundle as never) as Promise<any>;
  }

  /** The whole OAuth connection, as a user clicking "Connect" in Zapier would do it. */
  async connect(redirectUri = 'https://zapier.com/dashboard/auth/oauth/return/GhlContactsCLIAPI/'): Promise<AuthData> {
    ZapRunner.useSandbox(this.sandbox);
    const { authData, connectionLabel } = await connectThroughOAuth(
      (fn, bundle) => this.call(fn, bundle),
      App.authentication!,
      redirectUri,
      'The authorize page',
    );
    this.authData = authData;
    this.refreshTokens.push(authData.refresh_token as string);
    this.connectionLabel = connectionLabel;
    return this.authData;
  }

  private async refresh(): Promise<void> {
    const fresh = await this.call(App.authentication!.oauth2Config!.refreshAccessToken, { authData: this.authData });
    this.authData = { ...this.authData, ...fresh };
    this.refreshTokens.push(fresh.refresh_token);
  }

  private operation(kind: Kind, key: string): Operation {
    const op = (App[kind] as Record<string, Operation> | undefined)?.[key];
    if (!op) throw new Error(`The app has no ${kind} ${key}`);
    return op;
  }

  /** One step; a RefreshAuthError leads to one refresh and one retry, as on Zapier. */
  async perform(kind: Kind, key: string, inputData: Record<string, unknown>, meta: Record<string, unknown> = {}): Promise<any> {
    const op = this.operation(kind, key);
    const bundle = () => ({ authData: this.authData, inputData, meta: { timezone: 'America/New_York', ...meta } });
    try {
      return await this.call(op.operation.perform, bundle());
    } catch (error) {
      if ((error as Error).name !== 'RefreshAuthError') throw error;
      await this.refresh();
      return this.call(op.operation.perform, bundle());
    }
  }

  /** Runs and records a step; errors are recorded and re-thrown. */
  async step<T = any>(
    name: string,
    kind: Kind,
    key: string,
    input: Record<string, unknown>,
    meta: Record<string, unknown> = {},
  ): Promise<T> {
    const before = this.sandbox.requests.length;
    const started = Date.now();
    const record: StepRecord = { name, kind, key, input, requests: 0, ms: 0 };
    this.steps.push(record);
    try {
      record.output = await this.perform(kind, key, input, meta);
      return record.output as T;
    } catch (error) {
      record.error = (error as Error).message;
      throw error;
    } finally {
      record.requests = this.sandbox.requests.length - before;
      record.ms = Date.now() - started;
    }
  }

  /**
   * Zapier's search-or-create: run the search; if it finds something and the pair has an update
   * action, run the update with the found id; if it finds nothing, run the create.
   */
  async searchOrCreate(
    name: string,
    key: string,
    searchInput: Record<string, unknown>,
    createInput: Record<string, unknown>,
    /** The update action's own field mapping (Zapier shows it as a separate form); defaults to the create's. */
    updateInput: Record<string, unknown> = createInput,
  ) {
    const pair = (
      App.searchOrCreates as Record<
        string,
        { search: string; create: string; update?: string; updateInputFromSearchOutput?: Record<string, string> }
      >
    )[key];
    if (!pair) throw new Error(`The app has no search-or-create ${key}`);
    const found = await this.step<Array<Record<string, unknown>>>(`${name}: search`, 'searches', pair.search, searchInput);
    const first = found[0];
    if (!first) {
      // Zapier tells the create that it runs inside a search-or-create.
      const created = await this.step<Record<string, unknown>>(`${name}: create`, 'creates', pair.create, createInput, {
        withSearch: pair.search,
      });
      return { outcome: 'created' as const, record: created };
    }
    if (!pair.update) return { outcome: 'found' as const, record: first };
    const mapped: Record<string, unknown> = { ...updateInput };
    for (const [inputKey, outputKey] of Object.entries(pair.updateInputFromSearchOutput ?? {})) mapped[inputKey] = first[outputKey];
    const updated = await this.step<Record<string, unknown>>(`${name}: update`, 'creates', pair.update, mapped);
    return { outcome: 'updated' as const, record: updated, found: first };
  }

  /** A Zapier Filter step: records why the Zap stopped. */
  filter(name: string, pass: boolean, reason: string): boolean {
    this.steps.push({ name, kind: 'filter', key: 'filter', input: { reason }, output: { pass, reason }, requests: 0, ms: 0 });
    return pass;
  }
}

/**
 * The Ecwid Customers app (ecwid/) as Zapier runs a polling trigger, against the Ecwid sandbox:
 * connects through the app's own OAuth code, then polls with Zapier's dedupe semantics. The first
 * poll after a Zap is switched on only records the ids it sees; every later poll hands on the
 * items whose id was never seen (oldest first, so edits reach the steps in order) and records
 * them, so a replayed poll runs nothing twice. Each poll is recorded as a step of `zap`.
 */
export class EcwidTriggerRunner {
  readonly appTester = zapier.createAppTester(EcwidApp);
  authData: AuthData = {};
  connectionLabel = '';
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    readonly sandbox: EcwidSandbox,
    readonly zap: ZapRunner,
  ) {}

  /**
   * Points the Ecwid app at the sandbox (its own variables: the GHL app's stay as they are). The
   * sandbox's Ecwid app is registered with read_customers_extrafields, so the app asks for it.
   */
  static useSandbox(sandbox: EcwidSandbox): void {
    process.env.ECWID_OPTIONAL_SCOPES = 'read_customers_extrafields';
    process.env.ECWID_API_BASE_URL = sandbox.apiBaseUrl;
    process.env.ECWID_OAUTH_BASE_URL = sandbox.oauthBaseUrl;
    process.env.ECWID_CLIENT_ID = sandbox.clientId;
    process.env.ECWID_CLIENT_SECRET = sandbox.clientSecret;
  }

  private call(fn: unknown, bundle: Record<string, unknown>): Promise<any> {
    return this.appTester(fn as never, bundle as never) as Promise<any>;
  }

  async connect(redirectUri = 'https://zapier.com/dashboard/auth/oauth/return/EcwidCustomersCLIAPI/'): Promise<AuthData> {
    EcwidTriggerRunner.useSandbox(this.sandbox);
    const { authData, connectionLabel } = await connectThroughOAuth(
      (fn, bundle) => this.call(fn, bundle),
      EcwidApp.authentication!,
      redirectUri,
      "Ecwid's authorize page",
    );
    this.authData = authData;
    this.connectionLabel = connectionLabel;
    return this.authData;
  }

  /**
   * The trigger's output fields as the Zap editor lists them: the static ones and those its
   * dynamic output fields function returns (e.g. one per Ecwid extra field). Not a poll.
   */
  async outputFields(key: string): Promise<{ fields: Array<{ key: string; label?: string }>; requests: number }> {
    const op = (EcwidApp.triggers as Record<string, { operation: { outputFields?: unknown[] } }> | undefined)?.[key];
    if (!op) throw new Error(`The Ecwid app has no trigger ${key}`);
    const before = this.sandbox.requests.length;
    const fields: Array<{ key: string; label?: string }> = [];
    for (const f of op.operation.outputFields ?? [])
      if (typeof f === 'function') fields.push(...((await this.call(f, { authData: this.authData, inputData: {} })) as typeof fields));
      else fields.push(f as { key: string; label?: string });
    return { fields, requests: this.sandbox.requests.length - before };
  }

  /** True once the trigger's Zap is on (its first poll happened). */
  isOn(key: string): boolean {
    return this.seen.has(key);
  }

  /** One poll of an Ecwid trigger; returns the items the Zap's steps run for (none on the first poll). */
  async poll(key: string): Promise<Array<Record<string, any>>> {
    const op = (EcwidApp.triggers as Record<string, Operation> | undefined)?.[key];
    if (!op) throw new Error(`The Ecwid app has no trigger ${key}`);
    const before = this.sandbox.requests.length;
    const started = Date.now();
    const label = (op as { display?: { label?: string } }).display?.label ?? key;
    const record: StepRecord = { name: `Ecwid Customers: ${label} (poll)`, kind: 'triggers', key, input: {}, requests: 0, ms: 0 };
    this.zap.steps.push(record);
    try {
      const items = (await this.call(op.operation.perform, { authData: this.authData, inputData: {}, meta: {} })) as Array<
        Record<string, any>
      >;
      const first = !this.seen.has(key);
      const seen = this.seen.get(key) ?? new Set<string>();
      this.seen.set(key, seen);
      const fresh = first ? [] : items.filter((i) => !seen.has(String(i.id)));
      for (const i of items) seen.add(String(i.id));
      record.output = { items: items.length, new: fresh.length, firstPoll: first };
      return fresh.reverse();
    } catch (error) {
      record.error = (error as Error).message;
      throw error;
    } finally {
      record.requests = this.sandbox.requests.length - before;
      record.ms = Date.now() - started;
    }
  }
}
