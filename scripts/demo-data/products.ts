/**
 * One demo product from its index: realistic title, description, price and stock per category.
 */

import { CATEGORIES } from "../../src/flows/catalog/categories";
import type { ProductRow } from "../../src/flows/catalog/schema";
import { intBetween, pick, type Random } from "./prng";
import { VOCABULARY } from "./vocabulary";

export type DemoProduct = Omit<ProductRow, "seq">;

const DAY = 86_400_000;
const FACTS: readonly ((rnd: Random) => string)[] = [
  (rnd) => `Ships within ${intBetween(rnd, 2, 5)} business days.`,
  (rnd) => `Backed by a ${intBetween(rnd, 1, 3)}-year warranty.`,
  (rnd) => `Rated ${intBetween(rnd, 38, 50) / 10} out of 5 by ${intBetween(rnd, 12, 2400)} customers.`,
  () => "Free returns within 30 days.",
  (rnd) => `Made in small batches in ${pick(rnd, ["Portugal", "Vermont", "Kyoto", "Oaxaca", "Denmark"])}.`,
  () => "Packed in plastic-free, recyclable packaging.",
];

/** Price in minor units: log-uniform in the category's range (cheap items are common), ending in .99 etc. */
function price(rnd: Random, [min, max]: readonly [number, number]): number {
  const units = Math.floor(min * (max / min) ** rnd());
  const ending = pick(rnd, [99, 99, 99, 95, 49, 0]);
  return units * 100 + ending;
}

function description(rnd: Random, uses: readonly string[]): string {
  const sentences = [`${pick(rnd, ["Designed for", "Great for", "A favourite for"])} ${pick(rnd, uses)}.`];
  const extra = intBetween(rnd, 0, 2);
  const start = intBetween(rnd, 0, FACTS.length - 1);
  // Consecutive facts (wrapping) so the same sentence never appears twice in one description.
  for (let i = 0; i < extra; i++) sentences.push(FACTS[(start + i) % FACTS.length]!(rnd));
  return sentences.join(" ");
}

/**
 * Product number `index` (0-based), drawing only from `rnd`, so a seeded stream per index makes it
 * reproducible on its own.
 */
export function demoProduct(
  rnd: Random,
  index: number,
  merchantIds: readonly string[],
  now: number,
): DemoProduct {
  const category = pick(rnd, CATEGORIES);
  const words = VOCABULARY[category];
  const number = String(index + 1).padStart(6, "0");
  const title = `${pick(rnd, words.adjectives)} ${pick(rnd, words.materials)} ${pick(rnd, words.nouns)}`;
  const createdAt = now - intBetween(rnd, 1, 365 * DAY);
  const edited = rnd() < 0.4;
  return {
    id: `prd_demo_${number}`,
    merchantId: pick(rnd, merchantIds),
    sku: `${words.code}-${number}`,
    title,
    description: description(rnd, words.uses),
    category,
    priceMinor: price(rnd, words.price),
    currency: "USD",
    // About one in twelve is sold out, so stock filters and "out of stock" paths have data.
    stock: rnd() < 0.08 ? 0 : intBetween(rnd, 1, 500),
    createdAt,
    updatedAt: edited ? createdAt + Math.floor(rnd() * (now - createdAt)) : createdAt,
  };
}
