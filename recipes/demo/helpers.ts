/**
 * Helpers of `npm run demo` (recipes/demo/story.ts): what GHL holds (read from the sandbox's state), the
 * one-time GHL set-up a user does by hand, and how a step is printed in the transcript.
 */
import type { Sandbox } from '../../sandbox/server.js';
import type { StepRecord } from '../zap-runner.js';

export const ecwidId = (sb: Sandbox, fieldId: string, contactId: string) =>
  sb.state.contacts.get(contactId)?.customFields.find((f) => f.id === fieldId)?.value;

export const contactsWithEcwidId = (sb: Sandbox, fieldId: string, value: string) =>
  [...sb.state.contacts.values()].filter((c) => c.customFields.some((f) => f.id === fieldId && String(f.value) === value));

export const customValue = (sb: Sandbox, fieldId: string, contactId: string) =>
  sb.state.contacts.get(contactId)?.customFields.find((f) => f.id === fieldId)?.value;

/** The Ecwid checkout question the demo maps into GHL. */
export const HEARD_ABOUT_US = 'How did you hear about us?';

/** What a user does once in GHL (Settings → Custom Fields): a TEXT custom field, unless there is one of that name. */
export const addGhlCustomField = (sb: Sandbox, name: string): string => {
  const existing = [...sb.state.customFields.values()].find((f) => f.name === name);
  if (existing) return existing.id;
  const id = sb.state.newId();
  sb.state.customFields.set(id, {
    id,
    name,
    fieldKey: `contact.${name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')}`,
    placeholder: '',
    dataType: 'TEXT',
    position: 300,
    locationId: sb.state.location.id,
    model: 'contact',
  });
  return id;
};

export const tasksOf = (sb: Sandbox, contactId: string) => [...sb.state.tasks.values()].filter((t) => t.contactId === contactId);

/** The step's mapped input as the app uses it: a mapping that came out empty is not sent to GHL, so it is not shown. */
export const withoutBlanks = (input: unknown): unknown =>
  input && typeof input === 'object' && !Array.isArray(input)
    ? Object.fromEntries(
        Object.entries(input).filter(([, v]) => !(v === undefined || v === null || (typeof v === 'string' && v.trim() === ''))),
      )
    : input;

export const short = (value: unknown, max = 160): string => {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

export const summarize = (s: StepRecord): string => {
  const out = s.output as any;
  if (s.kind === 'filter') return `${out.pass ? 'continue' : 'STOP'}: ${out.reason}`;
  if (s.kind === 'triggers' && out && typeof out.items === 'number')
    return out.firstPoll
      ? `${out.items} item(s) recorded (first poll after switch-on: no run)`
      : `${out.items} item(s), ${out.new} new → ${out.new} Zap run(s)`;
  if (Array.isArray(out)) {
    if (!out.length) return 'nothing found';
    const f = out[0];
    const name = f.name ?? f.title ?? f.id;
    const by = f.matchedBy ? ` matched by ${f.matchedBy}` : '';
    // Find Contact returns one contact and says how many matched: the count is what matters here.
    if (f.ambiguous)
      return `${f.matchCount ?? 'several'} contacts match${f.matchedBy ? ` (by ${f.matchedBy})` : ''}: ambiguous; the step returns the first, ${name}, flagged`;
    return `${out.length} found: ${name}${by}`;
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
      'workflowName',
      'campaignName',
    ];
    const picked: Record<string, unknown> = {};
    for (const k of keys) if (out[k] !== undefined) picked[k] = out[k];
    return short(picked);
  }
  return short(out);
};
