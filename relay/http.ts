import type http from 'node:http';

/** HTTP helpers shared by the relay's routes (server.ts) and its webhook sources (relay/sources/). */

export type Headers = Record<string, string | string[] | undefined>;

/** An answer other than 2xx, with the message the caller sees (never a token or a body). */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const readBody = (req: http.IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpFailure(413, `Body larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpFailure(413, `Body larger than ${limit} bytes`));
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
    throw new HttpFailure(400, 'Body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpFailure(400, 'Body must be a JSON object');
  return v as Record<string, unknown>;
};

/** The subscriber's token from `Authorization: Bearer …` (`whose`: GHL or Ecwid, for the message). */
export const bearer = (headers: Headers, whose = 'GHL'): string => {
  const h = headers['authorization'];
  const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  if (!m) throw new HttpFailure(401, `Send the ${whose} access token of the connection as "Authorization: Bearer <token>"`);
  return m[1] as string;
};

export const header = (headers: Headers, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
