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

const tooLarge = (limit: number) => new Refusal(413, 'too_large', `Body larger than ${limit} bytes`);

/** A declared Content-Length over `limit`: refused before a byte is read (server.ts then closes the connection). */
export const refuseDeclaredSize = (req: http.IncomingMessage, limit: number): void => {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
};

/**
 * Reads a body of at most `limit` bytes, counting as it comes (a chunked body has no declared
 * size), and hands each chunk to `onChunk` (a streaming signature check). Past the limit it stops
 * reading at once and rejects; the rest is never read: the answer closes the connection (server.ts).
 */
export const readBody = (req: http.IncomingMessage, limit: number, onChunk: (chunk: Buffer) => void = () => undefined): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    try {
      refuseDeclaredSize(req, limit);
    } catch (e) {
      reject(e);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Not req.destroy(): that would close the socket before the 413 is written.
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      onChunk(c);
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
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
