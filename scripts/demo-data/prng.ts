/**
 * Seeded randomness for demo data. Same seed, same sequence, on every runtime: no Math.random.
 */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit generator, plenty for plausible-looking data (not for anything secret).
 *
 * @example
 * const rnd = mulberry32(42); rnd(); // always 0.6011037519201636
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent stream per (seed, index), so product #n is the same whether 5,000 or 100,000 are
 * generated, and generating one never needs the ones before it.
 */
export function streamFor(seed: number, index: number): Random {
  return mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
}

/** An integer in [min, max]. */
export const intBetween = (rnd: Random, min: number, max: number): number =>
  min + Math.floor(rnd() * (max - min + 1));

/** One element of a non-empty list. */
export function pick<T>(rnd: Random, items: readonly T[]): T {
  const item = items[Math.floor(rnd() * items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}
