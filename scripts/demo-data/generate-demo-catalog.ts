/**
 * The deterministic demo catalog: users, products and promotions from a seed and an injected clock.
 */
import type { PromotionRow } from "../../src/flows/catalog/schema";
import { mulberry32, streamFor } from "./prng";
import { type DemoProduct, demoProduct } from "./products";
import { demoPromotions } from "./promotions";
import { type DemoUser, demoUsers } from "./users";

export interface DemoCatalogOptions {
  seed: number;
  /** Generated merchants, besides the named demo merchant. */
  merchants: number;
  /** Generated buyers, besides the named demo buyer. */
  buyers: number;
  products: number;
  /** The clock: creation dates spread over the year before it. */
  now: number;
}

export interface DemoCatalog {
  users: DemoUser[];
  /**
   * Lazily generated and re-iterable: 100,000 products are never held in memory at once, and each
   * pass yields the same products.
   */
  products: Iterable<DemoProduct>;
  promotions: PromotionRow[];
}

// Product ids are `prd_demo_` + 6 digits.
const MAX_PRODUCTS = 999_999;

function count(name: string, value: number, max = MAX_PRODUCTS): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in 0..${max}, got ${value}`);
  }
  return value;
}

/**
 * Same options, same catalog, on any runtime. Product #n depends only on the seed, n and the merchant
 * count, so the first 5,000 of a 100,000-product catalog are the 5,000-product catalog.
 *
 * @example
 * const { users, products } = generateDemoCatalog({ seed: 1, merchants: 20, buyers: 40, products: 5000, now });
 * for (const p of products) write(p);
 */
export function generateDemoCatalog(options: DemoCatalogOptions): DemoCatalog {
  const total = count("products", options.products);
  const users = demoUsers(
    mulberry32(options.seed),
    { merchants: count("merchants", options.merchants, 9999), buyers: count("buyers", options.buyers, 9999) },
    options.now,
  );
  const merchantIds = users.filter((u) => u.role === "merchant").map((u) => u.id);
  const products: Iterable<DemoProduct> = {
    *[Symbol.iterator]() {
      for (let i = 0; i < total; i++) {
        yield demoProduct(streamFor(options.seed, i), i, merchantIds, options.now);
      }
    },
  };
  return { users, products, promotions: demoPromotions(options.now) };
}
