import { createPublicKey, createVerify, verify, type KeyObject } from 'node:crypto';

/**
 * GHL signs every webhook (docs/ghl-webhooks.md, "Signatures"):
 * - `x-ghl-signature`: Ed25519 over the raw body, base64 (current scheme);
 * - `x-wh-signature`: RSA-SHA256 (PKCS#1 v1.5) over the body, base64 (legacy; GHL's Webhook
 *   Integration Guide first dated its end July 1, 2026, since moved to September 1, 2026: after it
 *   GHL sends `x-ghl-signature` only). It is only checked when enabled and no Ed25519 header came.
 * Keys are GHL's published public keys unless configured (RELAY_GHL_PUBLIC_KEY /
 * RELAY_GHL_LEGACY_PUBLIC_KEY), e.g. the sandbox's test key.
 */

/** GHL's Ed25519 webhook key (SPKI, base64), as published in GHL's Webhook Integration Guide. */
export const GHL_ED25519_PUBLIC_KEY = 'MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=';

/** GHL's legacy RSA-4096 webhook key, from docs/oauth/WebhookAuthentication.md of GoHighLevel/highlevel-api-docs. */
export const GHL_RSA_PUBLIC_KEY = [
  'MIICIjANBgkqhkiG9w0BAQEFAAOCAg8AMIICCgKCAgEAokvo/r9tVgcfZ5DysOSC',
  'Frm602qYV0MaAiNnX9O8KxMbiyRKWeL9JpCpVpt4XHIcBOK4u3cLSqJGOLaPuXw6',
  'dO0t6Q/ZVdAV5Phz+ZtzPL16iCGeK9po6D6JHBpbi989mmzMryUnQJezlYJ3DVfB',
  'csedpinheNnyYeFXolrJvcsjDtfAeRx5ByHQmTnSdFUzuAnC9/GepgLT9SM4nCpv',
  'uxmZMxrJt5Rw+VUaQ9B8JSvbMPpez4peKaJPZHBbU3OdeCVx5klVXXZQGNHOs8gF',
  '3kvoV5rTnXV0IknLBXlcKKAQLZcY/Q9rG6Ifi9c+5vqlvHPCUJFT5XUGG5RKgOKU',
  'J062fRtN+rLYZUV+BjafxQauvC8wSWeYja63VSUruvmNj8xkx2zE/Juc+yjLjTXp',
  'IocmaiFeAO6fUtNjDeFVkhf5LNb59vECyrHD2SQIrhgXpO4Q3dVNA5rw576PwTzN',
  'h/AMfHKIjE4xQA1SZuYJmNnmVZLIZBlQAF9Ntd03rfadZ+yDiOXCCs9FkHibELhC',
  'HULgCsnuDJHcrGNd5/Ddm5hxGQ0ASitgHeMZ0kcIOwKDOzOU53lDza6/Y09T7sYJ',
  'PQe7z0cvj7aE4B+Ax1ZoZGPzpJlZtGXCsu9aTEGEnKzmsFqwcSsnw3JB31IGKAyk',
  'T1hhTiaCeIY/OwwwNUY2yvcCAwEAAQ==',
].join('');

/** A public key given as PEM or as bare base64 SPKI (the form GHL publishes). */
export const parsePublicKey = (text: string): KeyObject => {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  if (trimmed.includes('-----BEGIN')) return createPublicKey(trimmed);
  // Node's base64 decoding skips whitespace, so a key wrapped over lines reads as one.
  return createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
};

export interface SignatureKeys {
  ed25519: KeyObject;
  /** Undefined: the legacy RSA header is not accepted. */
  rsa?: KeyObject;
}

export type SignatureCheck = { ok: true; scheme: 'ed25519' | 'rsa' } | { ok: false; reason: string };

const header = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A signature check that starts from the headers alone, before the body is read: a missing header
 * or a value that cannot be a signature is answered at once (`ok: false`). Otherwise the body is
 * fed to `update` as it arrives and `finish` gives the verdict. RSA-SHA256 hashes the chunks as
 * they come; Ed25519 (pure, no pre-hash) signs the whole message, so it is checked at `finish`
 * over the body the caller kept (bounded by RELAY_MAX_BODY_BYTES).
 */
export type SignatureStart = { ok: false; reason: string } | { ok: true; update(chunk: Buffer): void; finish(raw: Buffer): SignatureCheck };

export const startSignatureCheck = (headers: Record<string, string | string[] | undefined>, keys: SignatureKeys): SignatureStart => {
  const ed = header(headers, 'x-ghl-signature')?.trim();
  if (ed) {
    // Like GHL's SDK: when the current header is present, the legacy one is not consulted.
    if (!BASE64.test(ed)) return { ok: false, reason: 'x-ghl-signature is not base64' };
    const sig = Buffer.from(ed, 'base64');
    if (sig.length !== 64) return { ok: false, reason: 'x-ghl-signature is not an Ed25519 signature' };
    return {
      ok: true,
      update: () => undefined,
      finish: (raw) =>
        verify(null, raw, keys.ed25519, sig)
          ? { ok: true, scheme: 'ed25519' }
          : { ok: false, reason: 'x-ghl-signature does not match the body' },
    };
  }
  const legacy = header(headers, 'x-wh-signature')?.trim();
  if (legacy) {
    const rsa = keys.rsa;
    if (!rsa) return { ok: false, reason: 'x-wh-signature (legacy RSA) is not accepted; GHL signs with x-ghl-signature' };
    if (!BASE64.test(legacy)) return { ok: false, reason: 'x-wh-signature is not base64' };
    const v = createVerify('sha256');
    return {
      ok: true,
      update: (chunk) => void v.update(chunk),
      finish: () =>
        v.verify(rsa, legacy, 'base64') ? { ok: true, scheme: 'rsa' } : { ok: false, reason: 'x-wh-signature does not match the body' },
    };
  }
  return { ok: false, reason: 'no x-ghl-signature header' };
};

/** The whole check over a body already read (the bench's graphile-worker handler, unit tests). */
export const checkSignature = (
  raw: Buffer,
  headers: Record<string, string | string[] | undefined>,
  keys: SignatureKeys,
): SignatureCheck => {
  const check = startSignatureCheck(headers, keys);
  if (!check.ok) return check;
  check.update(raw);
  return check.finish(raw);
};
