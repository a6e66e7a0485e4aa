import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import {
  GHL_ED25519_PUBLIC_KEY,
  GHL_RSA_PUBLIC_KEY,
  checkSignature,
  parsePublicKey,
  startSignatureCheck,
  type SignatureKeys,
} from '../../relay/signature.js';

/** The webhook signature check at unit level (the relay's HTTP answers to it: test/relay/relay.test.ts). */

const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const keys: SignatureKeys = { ed25519: ed.publicKey, rsa: rsa.publicKey };
const body = Buffer.from('{"type":"ContactCreate","locationId":"loc1","id":"c1"}');
const edSig = sign(null, body, ed.privateKey).toString('base64');
const rsaSig = sign('sha256', body, rsa.privateKey).toString('base64');

describe("GHL's published keys (the defaults)", () => {
  it('the Ed25519 key is the one GHL publishes (raw key 8b61d1d6…8388e8)', () => {
    const key = parsePublicKey(GHL_ED25519_PUBLIC_KEY);
    expect(key.asymmetricKeyType).toBe('ed25519');
    expect(Buffer.from(key.export({ format: 'jwk' }).x as string, 'base64url').toString('hex')).toBe(
      '8b61d1d6cacbe28d7c3bc0516bb815258ec6edbba96cddc7f40c09ac708388e8',
    );
    expect((key.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64')).toBe(GHL_ED25519_PUBLIC_KEY);
  });

  it('the legacy key is GHL’s RSA-4096 key, byte for byte', () => {
    const key = parsePublicKey(GHL_RSA_PUBLIC_KEY);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails).toEqual({ modulusLength: 4096, publicExponent: 65537n });
    expect(GHL_RSA_PUBLIC_KEY).toHaveLength(736);
    const der = key.export({ format: 'der', type: 'spki' }) as Buffer;
    expect(createHash('sha256').update(der).digest('hex')).toBe('2f62045d413b1b7747e26770ce7f57840cbf86288cd20ceb90d299a62501fd25');
  });

  it('with the published keys, a body signed by anyone but GHL is refused under either scheme', () => {
    const published: SignatureKeys = { ed25519: parsePublicKey(GHL_ED25519_PUBLIC_KEY), rsa: parsePublicKey(GHL_RSA_PUBLIC_KEY) };
    expect(checkSignature(body, { 'x-ghl-signature': edSig }, published)).toEqual({
      ok: false,
      reason: 'x-ghl-signature does not match the body',
    });
    expect(checkSignature(body, { 'x-wh-signature': rsaSig }, published)).toEqual({
      ok: false,
      reason: 'x-wh-signature does not match the body',
    });
  });
});

describe('parsePublicKey: keys as the environment gives them', () => {
  const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  const spkiBase64 = (ed.publicKey.export({ format: 'der', type: 'spki' }) as Buffer).toString('base64');
  const same = (text: string, expected = rsa.publicKey) => expect(parsePublicKey(text).equals(expected)).toBe(true);

  it('a PEM, also with surrounding blank lines', () => {
    same(pem);
    same(`\n  ${pem}\n\n`);
  });

  it('a PEM on one line with literal \\n (how .env files and dashboards carry it)', () => {
    const oneLine = pem.trim().replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    same(oneLine);
    same(`  ${oneLine}\\n`);
  });

  it('bare base64 SPKI (the form GHL publishes), also wrapped over lines or padded with spaces', () => {
    same(spkiBase64, ed.publicKey);
    same(` ${spkiBase64.slice(0, 20)}\n${spkiBase64.slice(20, 40)} \t${spkiBase64.slice(40)}\n`, ed.publicKey);
    same(`${spkiBase64.slice(0, 30)}\\n${spkiBase64.slice(30)}`, ed.publicKey);
  });

  it('text that is no key is an error, not a key that never matches', () => {
    expect(() => parsePublicKey('not a key')).toThrow();
    expect(() => parsePublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----')).toThrow();
  });
});

describe('checkSignature', () => {
  it('a valid x-ghl-signature (Ed25519 over the raw bytes) passes', () => {
    expect(checkSignature(body, { 'x-ghl-signature': edSig }, keys)).toEqual({ ok: true, scheme: 'ed25519' });
    // Header values are trimmed; a repeated header counts with its first value.
    expect(checkSignature(body, { 'x-ghl-signature': ` ${edSig} ` }, keys)).toEqual({ ok: true, scheme: 'ed25519' });
    expect(checkSignature(body, { 'x-ghl-signature': [edSig, 'AAAA'] }, keys)).toEqual({ ok: true, scheme: 'ed25519' });
  });

  it('the same signature over other bytes (re-serialised JSON) fails', () => {
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(checkSignature(reformatted, { 'x-ghl-signature': edSig }, keys)).toEqual({
      ok: false,
      reason: 'x-ghl-signature does not match the body',
    });
  });

  it.each([
    ['not base64 !', 'x-ghl-signature is not base64'],
    [`!${edSig}`, 'x-ghl-signature is not base64'],
    [`${edSig}!`, 'x-ghl-signature is not base64'],
    [`${edSig.replace(/=+$/, '')}===`, 'x-ghl-signature is not base64'],
    [`${edSig.slice(0, 40)} ${edSig.slice(40)}`, 'x-ghl-signature is not base64'],
    [Buffer.alloc(63, 1).toString('base64'), 'x-ghl-signature is not an Ed25519 signature'],
    [Buffer.alloc(65, 1).toString('base64'), 'x-ghl-signature is not an Ed25519 signature'],
    [Buffer.alloc(64, 1).toString('base64'), 'x-ghl-signature does not match the body'],
  ])('x-ghl-signature %j → %s', (value, reason) => {
    expect(checkSignature(body, { 'x-ghl-signature': value }, keys)).toEqual({ ok: false, reason });
  });

  it('base64 with no padding, one = or two is read as base64', () => {
    // 63 bytes → no "=", 62 bytes → one "=", 64 bytes (a real signature) → "==".
    for (const [bytes, end] of [
      [63, /[^=]$/],
      [62, /[^=]=$/],
    ] as const) {
      const value = Buffer.alloc(bytes, 7).toString('base64');
      expect(value).toMatch(end);
      expect(checkSignature(body, { 'x-ghl-signature': value }, keys)).toEqual({
        ok: false,
        reason: 'x-ghl-signature is not an Ed25519 signature',
      });
    }
    expect(edSig).toMatch(/[^=]==$/);
  });

  it('when x-ghl-signature is present the legacy header is not consulted (GHL SDK order)', () => {
    const forged = sign(null, body, generateKeyPairSync('ed25519').privateKey).toString('base64');
    expect(checkSignature(body, { 'x-ghl-signature': forged, 'x-wh-signature': rsaSig }, keys)).toEqual({
      ok: false,
      reason: 'x-ghl-signature does not match the body',
    });
  });

  it('the legacy x-wh-signature (RSA-SHA256) alone passes with the legacy key, trimmed, first of several', () => {
    expect(checkSignature(body, { 'x-wh-signature': rsaSig }, keys)).toEqual({ ok: true, scheme: 'rsa' });
    expect(checkSignature(body, { 'x-wh-signature': `\t${rsaSig} ` }, keys)).toEqual({ ok: true, scheme: 'rsa' });
    expect(checkSignature(body, { 'x-wh-signature': [rsaSig, 'AAAA'] }, keys)).toEqual({ ok: true, scheme: 'rsa' });
    // An empty current header is no header: the legacy one decides.
    expect(checkSignature(body, { 'x-ghl-signature': '  ', 'x-wh-signature': rsaSig }, keys)).toEqual({ ok: true, scheme: 'rsa' });
  });

  it('the legacy header: refused when not accepted, not base64, or over other bytes', () => {
    expect(checkSignature(body, { 'x-wh-signature': rsaSig }, { ed25519: ed.publicKey })).toEqual({
      ok: false,
      reason: 'x-wh-signature (legacy RSA) is not accepted; GHL signs with x-ghl-signature',
    });
    expect(checkSignature(body, { 'x-wh-signature': `${rsaSig}!` }, keys)).toEqual({ ok: false, reason: 'x-wh-signature is not base64' });
    expect(checkSignature(body, { 'x-wh-signature': `!${rsaSig}` }, keys)).toEqual({ ok: false, reason: 'x-wh-signature is not base64' });
    expect(checkSignature(Buffer.from(`${body.toString()} `), { 'x-wh-signature': rsaSig }, keys)).toEqual({
      ok: false,
      reason: 'x-wh-signature does not match the body',
    });
    // RSA-SHA256, not RSA over another digest.
    const sha1Sig = sign('sha1', body, rsa.privateKey).toString('base64');
    expect(checkSignature(body, { 'x-wh-signature': sha1Sig }, keys)).toEqual({
      ok: false,
      reason: 'x-wh-signature does not match the body',
    });
  });

  it('no signature header at all (or only empty ones)', () => {
    expect(checkSignature(body, {}, keys)).toEqual({ ok: false, reason: 'no x-ghl-signature header' });
    expect(checkSignature(body, { 'x-ghl-signature': '', 'x-wh-signature': ' ' }, keys)).toEqual({
      ok: false,
      reason: 'no x-ghl-signature header',
    });
    expect(checkSignature(body, { 'x-ghl-signature': undefined, 'x-wh-signature': [] }, keys)).toEqual({
      ok: false,
      reason: 'no x-ghl-signature header',
    });
  });
});

describe('startSignatureCheck (the relay feeds the body as it arrives)', () => {
  const chunks = [body.subarray(0, 10), body.subarray(10, 30), body.subarray(30)];
  const run = (headers: Record<string, string>, parts: Buffer[], whole: Buffer) => {
    const check = startSignatureCheck(headers, keys);
    if (!check.ok) return check;
    parts.forEach((c) => check.update(c));
    return check.finish(whole);
  };

  it('answers from the headers alone when they cannot carry a signature', () => {
    expect(startSignatureCheck({}, keys)).toEqual({ ok: false, reason: 'no x-ghl-signature header' });
    expect(startSignatureCheck({ 'x-ghl-signature': 'AAAA' }, keys)).toEqual({
      ok: false,
      reason: 'x-ghl-signature is not an Ed25519 signature',
    });
    expect(startSignatureCheck({ 'x-wh-signature': rsaSig }, { ed25519: ed.publicKey })).toMatchObject({ ok: false });
  });

  it('RSA-SHA256 hashes the chunks as they come: the verdict is over the chunks, not the buffer given at the end', () => {
    expect(run({ 'x-wh-signature': rsaSig }, chunks, Buffer.alloc(0))).toEqual({ ok: true, scheme: 'rsa' });
    expect(run({ 'x-wh-signature': rsaSig }, chunks.slice(0, 2), body)).toEqual({
      ok: false,
      reason: 'x-wh-signature does not match the body',
    });
  });

  it('Ed25519 signs the whole message: checked at finish over the whole body', () => {
    expect(run({ 'x-ghl-signature': edSig }, chunks, body)).toEqual({ ok: true, scheme: 'ed25519' });
    expect(run({ 'x-ghl-signature': edSig }, chunks, body.subarray(1))).toEqual({
      ok: false,
      reason: 'x-ghl-signature does not match the body',
    });
  });
});
