/**
 * Deterministic ids: a seeded PRNG, so the same seed gives the same ids on every run.
 */

/** mulberry32 PRNG */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 20-char alphanumeric id like GHL's, from `rng`. */
export function newIdFrom(rng: () => number): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
  return s;
}
