/**
 * Integer money arithmetic. Amounts are minor units (cents), rates are basis points (100 bp = 1%).
 * Every fractional step in pricing goes through `applyRate` (one rounding rule: half-up on the exact
 * product) or `allocate` (largest remainder, which never rounds the total at all), so the same cart
 * always rounds the same way no matter where the arithmetic happens.
 */

const BPS = 10_000n;

/** Throws unless `amount` is a non-negative safe integer: a fraction or NaN here is a bug, not a price. */
export function assertMinor(amount: number, what = "amount"): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer, got ${amount}`);
  }
}

/** Sum of minor-unit amounts. */
export function sumMinor(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) total += a;
  return total;
}

/**
 * `amountMinor × rateBps / 10 000`, rounded half-up. The product is taken in BigInt so it stays exact
 * past 2^53, where a float would silently round before we do.
 *
 * @example
 * applyRate(1999, 1000); // 200 — 10% of 19.99 is 1.999
 * applyRate(5, 1000);    // 1   — 0.5 rounds up
 */
export function applyRate(amountMinor: number, rateBps: number): number {
  assertMinor(amountMinor);
  assertMinor(rateBps, "rate");
  return Number((BigInt(amountMinor) * BigInt(rateBps) + BPS / 2n) / BPS);
}

/**
 * Splits `total` across `weights` in proportion by largest remainder: each share starts at the floor of
 * its exact part, and the units left over go to the largest fractional remainders (the earlier index
 * wins a tie). The shares sum to `total` exactly, and when `total <= sum(weights)` no share exceeds its
 * weight — which is what keeps a line's discount within the line's subtotal.
 *
 * @example
 * allocate(100, [1, 1, 1]); // [34, 33, 33]
 * allocate(10, [0, 300, 100]); // [0, 8, 2]
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  assertMinor(total, "total");
  for (const w of weights) assertMinor(w, "weight");
  const weightSum = sumMinor(weights);
  if (weightSum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError(`cannot allocate ${total} over zero weights`);
  }
  const t = BigInt(total);
  const sumW = BigInt(weightSum);
  const shares = weights.map((w) => Number((t * BigInt(w)) / sumW));
  const byRemainder = weights
    .map((w, index) => ({ index, remainder: (t * BigInt(w)) % sumW }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  // Fewer units are left than there are non-zero remainders, so one pass hands them all out.
  const left = total - sumMinor(shares);
  for (let k = 0; k < left; k++) {
    const { index } = byRemainder[k]!;
    shares[index] = shares[index]! + 1;
  }
  return shares;
}

/**
 * An amount in minor units as a person reads it, in its currency's own format (`formatMoney(2950, "USD")`
 * is "$29.50", `formatMoney(500, "JPY")` is "¥500"); a dash when there is none yet. Every page and email
 * formats money with this.
 */
export function formatMoney(minor: number | null, currency: string): string {
  if (minor === null) return "—";
  const { format, unit } = currencyFormat(currency);
  return format.format(minor / unit);
}

// Building an Intl.NumberFormat costs far more than using one (it was a visible share of the email
// consumer's CPU, once per line of every order email), so each currency's is built once per isolate.
const currencyFormats = new Map<string, { format: Intl.NumberFormat; unit: number }>();

function currencyFormat(currency: string): { format: Intl.NumberFormat; unit: number } {
  let cached = currencyFormats.get(currency);
  if (!cached) {
    // Throws a RangeError for a code that is not a currency, as before: nothing is cached for it.
    const format = new Intl.NumberFormat("en-US", { style: "currency", currency });
    cached = { format, unit: 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2) };
    currencyFormats.set(currency, cached);
  }
  return cached;
}
