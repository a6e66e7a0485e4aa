import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Appointment, Contact, Note, Task } from './state/records.js';
import type { SandboxState } from './state/sandbox-state.js';

/**
 * The sandbox's app-level webhooks (docs/ghl-webhooks.md): every change an API call makes is sent,
 * signed, to one configured URL, as GHL does for a marketplace app. Bodies have the shape of GHL's
 * real deliveries (fixtures/ghl-webhook-examples/): `type, locationId, versionId, appId`, the
 * event's fields (a contact's as captured: no `name`, `dnd` or `attachments`), then `timestamp`
 * (ISO, when the delivery was created) and `webhookId`. TaskCreate carries no `contactId` or
 * `body`, as GHL's real ones (highlevel-api-docs#332), unless `taskCreateWithContact`.
 *
 * Signing: `x-ghl-signature` = base64 Ed25519 over the raw body, with a key pair generated at
 * start (TEST ONLY; its public key is `publicKey`, to give the relay as RELAY_GHL_PUBLIC_KEY).
 * With `legacySignature`, also `x-wh-signature` (RSA-SHA256) from a second generated key.
 *
 * Delivery follows GHL's current policy (Webhook Integration Guide, 2026-08-30 copy): any non-2xx
 * answer, a timeout or a refused connection is retried, up to `maxRetries` (12) times, with
 * exponential backoff and jitter (`retryBaseMs` × 2ⁿ, capped at `retryMaxMs`: GHL publishes no
 * numbers, these are the sandbox's), always the same bytes (same `timestamp`, `webhookId`,
 * signature); `resend(webhookId)` is the Webhook Logs dashboard's manual re-send of the original
 * payload. `clock` lets a test move time instead of waiting.
 *
 * How changes are seen without touching the handlers: within one API call (handlers are
 * synchronous), new keys in the contacts/tasks/notes/appointments maps are creations, removed
 * contacts are deletions, `touchSearchIndex(id, before)` is a contact update (tags compared), and
 * the task named in the path is compared before/after for a completion.
 */

/** Time as the sender sees it: real by default; tests pass a clock they move themselves. */
export interface WebhookClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: WebhookClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface WebhookOptions {
  /** Where to send; unset = no webhooks (nothing is recorded). Changeable with `setUrl`. */
  url?: string;
  appId?: string;
  /** First retry delay (default 30 s); each further retry waits twice as long, ±25 % jitter. */
  retryBaseMs?: number;
  /** Longest wait between retries (default 1 hour). */
  retryMaxMs?: number;
  /** Retries after the first attempt (default 12, as GHL). */
  maxRetries?: number;
  legacySignature?: boolean;
  timeoutMs?: number;
  /** Send `contactId` and `body` on TaskCreate (GHL's real ones lack them, #332). */
  taskCreateWithContact?: boolean;
  clock?: WebhookClock;
}

export interface WebhookLogEntry {
  webhookId: string;
  type: string;
  locationId: string;
  /** Last answer's status; 0 = no answer (connection failed or timed out). */
  status: number;
  attempts: number;
  /** Every attempt's status, in order (manual re-sends included). */
  statuses: number[];
  /** The exact bytes sent (each retry and re-send sends them again). */
  body: string;
  /** When the next automatic retry is due (clock time), while one is scheduled. */
  nextAttemptAt?: number;
  /** When the change happened (epoch ms, sub-millisecond), for latency measurements. */
  changedAt: number;
  /** When the last attempt was answered. */
  answeredAt?: number;
  /** `pending` until the first 2xx or until the retries are used up (`rejected`: last answer non-2xx; `failed`: no answer). */
  outcome: 'pending' | 'accepted' | 'rejected' | 'failed';
}

type Obj = Record<string, unknown>;

const preciseNow = () => performance.timeOrigin + performance.now();

/**
 * A contact as GHL's captured contact webhooks carry it (fixtures/ghl-webhook-examples/,
 * jarlengit-ContactCreate): the captured fields in their order, the documented address fields
 * only when set, and none of the documented `name`, `dnd`, `attachments` (real bodies lack them).
 */
const contactPayload = (c: Contact): Obj => ({
  id: c.id,
  firstName: c.firstName ?? undefined,
  lastName: c.lastName ?? undefined,
  email: c.email ?? undefined,
  phone: c.phone ?? undefined,
  companyName: c.companyName ?? undefined,
  address1: c.address1 ?? undefined,
  city: c.city ?? undefined,
  state: c.state ?? undefined,
  postalCode: c.postalCode ?? undefined,
  website: c.website ?? undefined,
  source: c.source ?? undefined,
  dateOfBirth: c.dateOfBirth ?? undefined,
  assignedTo: c.assignedTo ?? undefined,
  tags: [...c.tags],
  country: c.country,
  dateAdded: c.dateAdded,
  customFields: c.customFields.map((f) => ({ id: f.id, value: f.value })),
});

const taskPayload = (t: Task, withContact = true): Obj => ({
  id: t.id,
  assignedTo: t.assignedTo,
  body: withContact ? t.body : undefined,
  contactId: withContact ? t.contactId : undefined,
  title: t.title,
  dateAdded: t.dateAdded,
  dueDate: t.dueDate,
});

const notePayload = (n: Note): Obj => ({ id: n.id, body: n.body, contactId: n.contactId, dateAdded: n.dateAdded });

const appointmentPayload = (a: Appointment): Obj => ({
  appointment: {
    id: a.id,
    address: a.address,
    title: a.title,
    calendarId: a.calendarId,
    contactId: a.contactId,
    groupId: a.groupId,
    appointmentStatus: a.appointmentStatus,
    assignedUserId: a.assignedUserId,
    users: [...a.users],
    notes: a.notes,
    source: 'booking_widget',
    startTime: a.startTime,
    endTime: a.endTime,
    dateAdded: a.dateAdded,
    dateUpdated: a.dateUpdated,
  },
});

/** Fields whose change is a ContactUpdate (tags are ContactTagUpdate; dateUpdated always changes). */
const changedBesidesTags = (a: Contact, b: Contact): boolean => {
  const strip = (c: Contact) => JSON.stringify({ ...c, tags: undefined, dateUpdated: undefined });
  return strip(a) !== strip(b);
};

const sameTags = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);

interface Pending {
  type: string;
  /** Built after the handler, so the webhook carries the record as the call left it. */
  payload: () => Obj;
  contactId?: string;
}

export class WebhookEmitter {
  url: string | undefined;
  /** Base64 SPKI of the Ed25519 key the sandbox signs with (GHL publishes its key in this form). */
  readonly publicKey: string;
  readonly publicKeyPem: string;
  readonly legacyPublicKeyPem: string | undefined;
  readonly log: WebhookLogEntry[] = [];
  private privateKey: KeyObject;
  private legacyKey: KeyObject | undefined;
  private recording: Pending[] | undefined;
  private inFlight = new Set<Promise<void>>();
  private timers = new Set<unknown>();
  private closed = false;
  private clock: WebhookClock;

  constructor(
    private state: SandboxState,
    private opts: WebhookOptions = {},
  ) {
    this.url = opts.url;
    this.clock = opts.clock ?? realClock;
    const ed = generateKeyPairSync('ed25519');
    this.privateKey = ed.privateKey;
    this.publicKey = (ed.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
    this.publicKeyPem = ed.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    if (opts.legacySignature) {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
      this.legacyKey = rsa.privateKey;
      this.legacyPublicKeyPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
    }
    this.observe();
  }

  setUrl(url: string | undefined): void {
    this.url = url || undefined;
  }

  /** Runs one API call's handler and queues the webhooks for what it changed (only on success). */
  around<T extends { status: number }>(params: Record<string, string>, locationId: string, handler: () => T): T {
    if (!this.url || this.closed) return handler();
    const taskId = params['taskId'];
    const wasCompleted = taskId ? this.state.tasks.get(taskId)?.completed : undefined;
    const recorded: Pending[] = [];
    this.recording = recorded;
    let result: T;
    try {
      result = handler();
    } finally {
      this.recording = undefined;
    }
    if (result.status >= 200 && result.status < 300) {
      const task = taskId ? this.state.tasks.get(taskId) : undefined;
      if (task && wasCompleted === false && task.completed) recorded.push({ type: 'TaskComplete', payload: () => taskPayload(task) });
      for (const r of recorded) this.emit(r.type, locationId, r.payload());
    }
    return result;
  }

  /**
   * Sends one webhook now (also for events the sandbox has no API for, e.g. UNINSTALL, INSTALL),
   * in GHL's envelope: `type, locationId, versionId, appId, …payload, timestamp, webhookId`
   * (INSTALL/UNINSTALL: `type, appId, versionId, …payload` as captured). `appId` overrides the
   * sandbox app's (another marketplace app's webhook, signed with the same key as GHL does).
   */
  emit(
    type: string,
    locationId: string | undefined,
    payload: Obj,
    opts: { changedAt?: number; appId?: string } = {},
  ): WebhookLogEntry | undefined {
    const url = this.url;
    if (!url || this.closed) return undefined;
    const webhookId = randomUUID();
    const appId = opts.appId ?? this.opts.appId ?? 'sandbox-app-id';
    const versionId = 'sandbox-version-1';
    const lifecycle = type === 'INSTALL' || type === 'UNINSTALL';
    const head = lifecycle ? { type, appId, versionId, locationId } : { type, locationId, versionId, appId };
    const body = JSON.stringify({ ...head, ...payload, timestamp: new Date(this.clock.now()).toISOString(), webhookId });
    const entry: WebhookLogEntry = {
      webhookId,
      type,
      locationId: locationId ?? '',
      status: 0,
      attempts: 0,
      statuses: [],
      body,
      changedAt: opts.changedAt ?? preciseNow(),
      outcome: 'pending',
    };
    this.log.push(entry);
    this.attempt(url, entry, true);
    return entry;
  }

  /**
   * The Webhook Logs dashboard's manual re-send: the original payload (same bytes, same
   * `timestamp` and `webhookId`) once more to the current URL, whatever the first outcome was.
   */
  resend(webhookId: string): WebhookLogEntry {
    const entry = this.log.find((e) => e.webhookId === webhookId);
    if (!entry) throw new Error(`No webhook ${webhookId} in the sandbox's log`);
    if (this.url && !this.closed) {
      entry.outcome = 'pending';
      this.attempt(this.url, entry, false);
    }
    return entry;
  }

  private headers(body: string): Record<string, string> {
    const h: Record<string, string> = {
      'content-type': 'application/json',
      'x-ghl-signature': sign(null, Buffer.from(body), this.privateKey).toString('base64'),
    };
    if (this.legacyKey) h['x-wh-signature'] = sign('sha256', Buffer.from(body), this.legacyKey).toString('base64');
    return h;
  }

  /** Delay before retry number `n` (1-based): exponential, ±25 % jitter, capped. */
  retryDelay(n: number): number {
    const exp = Math.min(this.opts.retryMaxMs ?? 3_600_000, (this.opts.retryBaseMs ?? 30_000) * 2 ** (n - 1));
    return Math.round(exp * (0.75 + Math.random() * 0.5));
  }

  /** One POST of the entry's bytes; `automatic` attempts schedule the next retry on failure. */
  private attempt(url: string, entry: WebhookLogEntry, automatic: boolean): void {
    entry.attempts += 1;
    entry.nextAttemptAt = undefined;
    const body = entry.body;
    const p = fetch(url, {
      method: 'POST',
      headers: this.headers(body),
      body,
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      redirect: 'manual', // a 3xx is an answer GHL retries, not a place to follow
    })
      .then(
        async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          return res.status;
        },
        () => 0,
      )
      .then((status) => {
        entry.status = status;
        entry.statuses.push(status);
        entry.answeredAt = preciseNow();
        const ok = status >= 200 && status < 300;
        const retriesDone = entry.statuses.length - 1;
        if (!ok && automatic && retriesDone < (this.opts.maxRetries ?? 12) && !this.closed) {
          const wait = this.retryDelay(retriesDone + 1);
          entry.nextAttemptAt = this.clock.now() + wait;
          const t = this.clock.setTimeout(() => {
            this.timers.delete(t);
            if (!this.closed) this.attempt(url, entry, true);
          }, wait);
          this.timers.add(t);
          return;
        }
        entry.outcome = ok ? 'accepted' : status === 0 ? 'failed' : 'rejected';
      })
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when no webhook is in flight (scheduled 429 retries are not waited for). */
  async flush(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    await this.flush();
  }

  private record(type: string, payload: () => Obj, contactId?: string): void {
    this.recording?.push({ type, payload, contactId });
  }

  /** Wraps the state's maps and its search-index hook on this instance (see the file comment). */
  private observe(): void {
    const s = this.state;
    const onNew = <V>(map: Map<string, V>, event: (v: V) => void) => {
      const set = map.set.bind(map);
      map.set = (k: string, v: V) => {
        if (this.recording && !map.has(k)) event(v);
        return set(k, v);
      };
    };
    onNew(s.contacts, (c) => this.record('ContactCreate', () => contactPayload(c), (c as Contact).id));
    onNew(s.tasks, (t) => this.record('TaskCreate', () => taskPayload(t, this.opts.taskCreateWithContact ?? false)));
    onNew(s.notes, (n) => this.record('NoteCreate', () => notePayload(n)));
    onNew(s.appointments, (a) => this.record('AppointmentCreate', () => appointmentPayload(a)));
    const del = s.contacts.delete.bind(s.contacts);
    s.contacts.delete = (k: string) => {
      const c = s.contacts.get(k);
      if (this.recording && c) {
        const gone = contactPayload(c);
        this.record('ContactDelete', () => gone);
      }
      return del(k);
    };
    const touch = s.touchSearchIndex.bind(s);
    s.touchSearchIndex = (contactId: string, before: Contact | undefined) => {
      const after = s.contacts.get(contactId);
      if (this.recording && before && after) {
        // Recorded once per contact and call: the payload is built at the end, from the final record.
        const seen = (type: string) => this.recording?.some((r) => r.type === type && r.contactId === contactId);
        if (changedBesidesTags(before, after) && !seen('ContactUpdate'))
          this.record('ContactUpdate', () => contactPayload(after), contactId);
        if (!sameTags(before.tags, after.tags) && !seen('ContactTagUpdate'))
          this.record('ContactTagUpdate', () => contactPayload(after), contactId);
      }
      touch(contactId, before);
    };
  }
}
