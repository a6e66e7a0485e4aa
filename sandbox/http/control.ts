/**
 * The sandbox's control endpoints (`/_sandbox/*`, see sandbox/README.md): the request log, the
 * state, reset, faults, tokens, held bodies, latency, the clock, bulk data and webhooks. They are
 * not logged, get no faults and no latency.
 */
import type { Faults } from '../faults.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type { TokenResponse } from '../state/records.js';
import type { WebhookEmitter } from '../webhooks.js';
import type { RequestLogEntry } from './request-log.js';
import { jsonOut, type Out } from './responses.js';

/** The parts of a running sandbox the control endpoints read and change. */
export interface ControlTarget {
  state: SandboxState;
  requests: RequestLogEntry[];
  faults: Faults;
  webhooks: WebhookEmitter;
  issueTokens(opts: { userType?: 'Location' | 'Company'; withoutScopes?: string[] }): TokenResponse;
  releaseHeld(): number;
  setLatency(ms: number): void;
  reset(): void;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function stateDump(state: SandboxState): Record<string, unknown> {
  return {
    companyId: state.companyId,
    locationId: state.locationId,
    otherLocationId: state.otherLocationId,
    now: state.nowIso(),
    locations: [...state.locations.values()],
    users: [...state.users.values()],
    businesses: [...state.businesses.values()],
    tags: [...state.tags.values()],
    customFields: [...state.customFields.values()],
    contacts: [...state.contacts.values()],
    tasks: [...state.tasks.values()],
    notes: [...state.notes.values()],
    appointments: [...state.appointments.values()],
  };
}

export function controlRequest(sb: ControlTarget, method: string, path: string, raw: Buffer): Out {
  let body: unknown;
  try {
    body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
  } catch {
    return jsonOut(400, { statusCode: 400, message: 'Invalid JSON' });
  }
  const b = isObj(body) ? body : {};
  if (method === 'GET' && path === '/_sandbox/requests') return jsonOut(200, sb.requests);
  if (method === 'GET' && path === '/_sandbox/state') return jsonOut(200, stateDump(sb.state));
  if (method === 'POST' && path === '/_sandbox/reset') {
    sb.reset();
    return jsonOut(200, { ok: true });
  }
  if (method === 'POST' && path === '/_sandbox/faults') {
    try {
      sb.faults.applyJson(body ?? {});
    } catch (e) {
      return jsonOut(400, { statusCode: 400, message: (e as Error).message });
    }
    return jsonOut(200, { ok: true, faults: sb.faults.queue.map((f) => ({ ...f, match: f.match?.source })) });
  }
  if (method === 'POST' && path === '/_sandbox/tokens') {
    return jsonOut(
      200,
      sb.issueTokens({
        userType: b['userType'] === 'Company' ? 'Company' : 'Location',
        withoutScopes: Array.isArray(b['withoutScopes']) ? b['withoutScopes'].map(String) : undefined,
      }),
    );
  }
  if (method === 'POST' && path === '/_sandbox/release') {
    return jsonOut(200, { ok: true, released: sb.releaseHeld() });
  }
  if (method === 'POST' && path === '/_sandbox/latency') {
    const latencyMs = typeof b['ms'] === 'number' ? b['ms'] : 0;
    sb.setLatency(latencyMs);
    return jsonOut(200, { ok: true, latencyMs });
  }
  if (method === 'POST' && path === '/_sandbox/now') {
    sb.state.setNow(typeof b['now'] === 'string' ? b['now'] : null);
    return jsonOut(200, { ok: true, now: sb.state.nowIso() });
  }
  if (method === 'POST' && path === '/_sandbox/seed-bulk') {
    sb.state.seedBulk({
      contacts: typeof b['contacts'] === 'number' ? b['contacts'] : 0,
      tasksPerContact: typeof b['tasksPerContact'] === 'number' ? b['tasksPerContact'] : 0,
    });
    return jsonOut(200, { ok: true, contacts: sb.state.contacts.size });
  }
  if (method === 'POST' && path === '/_sandbox/webhooks') sb.webhooks.setUrl(typeof b['url'] === 'string' ? b['url'] : undefined);
  if (path === '/_sandbox/webhooks' && (method === 'POST' || method === 'GET')) {
    return jsonOut(200, {
      url: sb.webhooks.url ?? null,
      publicKey: sb.webhooks.publicKey,
      log: sb.webhooks.log.map(({ body: _body, ...e }) => e),
    });
  }
  // GHL's Webhook Logs "re-send": the original payload once more (sandbox/webhooks.ts `resend`).
  if (method === 'POST' && path === '/_sandbox/webhooks/resend' && typeof b['webhookId'] === 'string') {
    const known = sb.webhooks.log.some((e) => e.webhookId === b['webhookId']);
    if (!known) return jsonOut(404, { message: `No webhook ${b['webhookId']}` });
    const { body: _body, ...entry } = sb.webhooks.resend(b['webhookId']);
    return jsonOut(202, entry);
  }
  return jsonOut(404, { statusCode: 404, message: `Cannot ${method} ${path}`, error: 'Not Found' });
}
