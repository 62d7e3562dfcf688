/**
 * @module A small seeded pseudo-random number generator, so that anything random (the bootstrap) gives
 * the same answer on every run and machine. Not for cryptography.
 */

/**
 * mulberry32 (Tommy Ettinger, 2017): a 32-bit state PRNG. Returns a function giving uniform numbers in
 * [0, 1), each a 32-bit output / 2^32; the same seed always gives the same sequence. The seed is taken
 * as an unsigned 32-bit integer (seed >>> 0), so 0 and 2^32 are the same seed.
 * @throws RangeError when seed is not an integer.
 */
export function mulberry32(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new RangeError(`PRNG seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = Math.imul(state ^ (state >>> 15), state | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
