import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Appointment, Contact, Note, SandboxState, Task } from './state.js';

/**
 * The sandbox's app-level webhooks (ghl-api.md §5): every change an API call makes is sent, signed,
 * to one configured URL, as GHL does for a marketplace app. Payloads follow
 * openapi/webhook-events/*.json plus `timestamp`, `webhookId`, `appId`, `versionId`.
 *
 * Signing: `x-ghl-signature` = base64 Ed25519 over the raw body, with a key pair generated at
 * start (TEST ONLY; its public key is `publicKey`, to give the relay as RELAY_GHL_PUBLIC_KEY).
 * With `legacySignature`, also `x-wh-signature` (RSA-SHA256) from a second generated key.
 * Retries follow GHL's rule: only a 429 answer is retried, up to 6 times, `retryDelayMs` apart
 * (GHL: ~10 minutes, with jitter); any other answer or a failed connection is final.
 *
 * How changes are seen without touching the handlers: within one API call (handlers are
 * synchronous), new keys in the contacts/tasks/notes/appointments maps are creations, removed
 * contacts are deletions, `touchSearchIndex(id, before)` is a contact update (tags compared), and
 * the task named in the path is compared before/after for a completion.
 */

export interface WebhookOptions {
  /** Where to send; unset = no webhooks (nothing is recorded). Changeable with `setUrl`. */
  url?: string;
  appId?: string;
  /** Delay before re-sending after a 429 (default 10 minutes, as GHL). */
  retryDelayMs?: number;
  maxRetries?: number;
  legacySignature?: boolean;
  timeoutMs?: number;
}

export interface WebhookLogEntry {
  webhookId: string;
  type: string;
  locationId: string;
  /** Last answer's status; 0 = no answer (connection failed). */
  status: number;
  attempts: number;
  /** When the change happened (epoch ms, sub-millisecond), for latency measurements. */
  changedAt: number;
  /** When the last attempt was answered. */
  answeredAt?: number;
  outcome: 'pending' | 'accepted' | 'rejected' | 'failed';
}

type Obj = Record<string, unknown>;

const preciseNow = () => performance.timeOrigin + performance.now();

const contactPayload = (c: Contact): Obj => ({
  id: c.id,
  address1: c.address1 ?? undefined,
  city: c.city ?? undefined,
  state: c.state ?? undefined,
  companyName: c.companyName ?? undefined,
  country: c.country,
  source: c.source ?? undefined,
  dateAdded: c.dateAdded,
  dateOfBirth: c.dateOfBirth ?? undefined,
  dnd: c.dnd,
  email: c.email ?? undefined,
  name: c.name ?? ([c.firstName, c.lastName].filter(Boolean).join(' ') || undefined),
  firstName: c.firstName ?? undefined,
  lastName: c.lastName ?? undefined,
  phone: c.phone ?? undefined,
  postalCode: c.postalCode,
  tags: [...c.tags],
  website: c.website ?? undefined,
  attachments: [],
  assignedTo: c.assignedTo ?? undefined,
  customFields: c.customFields.map((f) => ({ id: f.id, value: f.value })),
});

const taskPayload = (t: Task): Obj => ({
  id: t.id,
  assignedTo: t.assignedTo,
  body: t.body,
  contactId: t.contactId,
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
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private state: SandboxState,
    private opts: WebhookOptions = {},
  ) {
    this.url = opts.url;
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

  /** Sends one webhook now (also for events the sandbox has no API for, e.g. UNINSTALL). */
  emit(type: string, locationId: string, payload: Obj, changedAt = preciseNow()): WebhookLogEntry | undefined {
    const url = this.url;
    if (!url || this.closed) return undefined;
    const webhookId = randomUUID();
    const body = JSON.stringify({
      type,
      locationId,
      ...payload,
      appId: this.opts.appId ?? 'sandbox-app-id',
      versionId: 'sandbox-version-1',
      timestamp: new Date().toISOString(),
      webhookId,
    });
    const entry: WebhookLogEntry = { webhookId, type, locationId, status: 0, attempts: 0, changedAt, outcome: 'pending' };
    this.log.push(entry);
    this.attempt(url, body, entry);
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

  private attempt(url: string, body: string, entry: WebhookLogEntry): void {
    entry.attempts += 1;
    const p = fetch(url, { method: 'POST', headers: this.headers(body), body, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) })
      .then(
        async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          return res.status;
        },
        () => 0,
      )
      .then((status) => {
        entry.status = status;
        entry.answeredAt = preciseNow();
        if (status === 429 && entry.attempts <= (this.opts.maxRetries ?? 6) && !this.closed) {
          const base = this.opts.retryDelayMs ?? 600_000;
          const t = setTimeout(
            () => {
              this.timers.delete(t);
              this.attempt(url, body, entry);
            },
            Math.round(base * (0.9 + Math.random() * 0.2)),
          );
          this.timers.add(t);
          return;
        }
        entry.outcome = status >= 200 && status < 300 ? 'accepted' : status === 0 ? 'failed' : 'rejected';
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
    for (const t of this.timers) clearTimeout(t);
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
    onNew(s.tasks, (t) => this.record('TaskCreate', () => taskPayload(t)));
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
