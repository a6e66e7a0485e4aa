import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The live GHL answers recorded in July 2026 (fixtures/ghl-recordings/, source in its SOURCE.md).
 * `exchanges(name)` flattens a file's `api` (method → path → exchanges) into a list.
 */
export const RECORDINGS_DIR = path.resolve(process.cwd(), 'fixtures/ghl-recordings');

export interface Exchange {
  file: string;
  method: string;
  path: string;
  recordedAt: string;
  status: number;
  request: { params?: Record<string, string>; data?: unknown };
  response: any;
}

interface RecordingFile {
  api: Record<string, Record<string, Array<Omit<Exchange, 'file' | 'method' | 'path'>>>>;
  metadata?: Record<string, string>;
}

export const recordingNames = (): string[] =>
  readdirSync(RECORDINGS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'rate-limit-headers.json')
    .map((f) => f.replace(/\.json$/, ''))
    .sort();

export const exchanges = (name: string): Exchange[] => {
  const file = JSON.parse(readFileSync(path.join(RECORDINGS_DIR, `${name}.json`), 'utf8')) as RecordingFile;
  const out: Exchange[] = [];
  for (const [method, paths] of Object.entries(file.api))
    for (const [p, list] of Object.entries(paths)) for (const e of list) out.push({ file: name, method, path: p, ...e });
  return out;
};

/** The first recorded answer of a file (most files hold one exchange). */
export const recorded = (name: string, index = 0): any => (exchanges(name)[index] as Exchange).response;

export const rateLimitHeaders = (): Array<{ request: string; headers: Record<string, string> }> =>
  (JSON.parse(readFileSync(path.join(RECORDINGS_DIR, 'rate-limit-headers.json'), 'utf8')) as { exchanges: never[] }).exchanges;

/** The recorded sub-account and the contact most recordings are about. */
export const REC_LOCATION = 'AYg6rIXHN1fXdXjGcYvI';
export const REC_CONTACT = 'jKy701hlSIPdiw0x12WA';
