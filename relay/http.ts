import type http from 'node:http';
import type { RefusalReason } from './counters.js';

/** HTTP plumbing shared by every route and webhook source of the relay. */

export type Headers = Record<string, string | string[] | undefined>;

export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A webhook the relay answers non-2xx; `reason` is the counter and log key. */
export class Refusal extends HttpFailure {
  constructor(
    status: number,
    readonly reason: RefusalReason,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, headers);
  }
}

export const readBody = (req: http.IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const tooLarge = () => new Refusal(413, 'too_large', `Body larger than ${limit} bytes`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Not read at all: the answer closes the connection (server.ts) instead of draining a huge body.
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export const parseObject = (raw: Buffer): Record<string, unknown> => {
  let v: unknown;
  try {
    v = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new Refusal(400, 'bad_json', 'Body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Refusal(400, 'bad_json', 'Body must be a JSON object');
  return v as Record<string, unknown>;
};

/** The subscriber's token; `whose` (GHL, Ecwid) names it in the answer when it is missing. */
export const bearer = (headers: Headers, whose = 'GHL'): string => {
  const h = headers['authorization'];
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  if (!m) throw new HttpFailure(401, `Send the ${whose} access token of the connection as "Authorization: Bearer <token>"`);
  return m[1] as string;
};
