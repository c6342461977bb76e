/**
 * A deterministic catalog for the search and quote scenarios: the same N products on every run, so
 * figures from different runs compare. Kept small and separate on purpose; src/domain/demo-data can
 * replace the generator once it is merged; the batched insert stays.
 */

/** Rows per INSERT: big enough to seed 100,000 products in seconds, small enough for one request. */
const BATCH_ROWS = 500;

/** Category → the nouns and modifiers its titles are made of; the search scenario queries these words. */
export const CATALOG_WORDS = {
  electronics: {
    nouns: ["headphones", "earbuds", "speaker", "charger", "keyboard", "mouse", "webcam", "monitor"],
    modifiers: ["wireless", "bluetooth", "portable", "noise-cancelling", "usb-c", "ergonomic", "compact"],
  },
  home: {
    nouns: ["lamp", "rug", "cushion", "vase", "mirror", "shelf", "blanket", "curtain"],
    modifiers: ["desk", "ceramic", "linen", "wooden", "brass", "vintage", "minimalist"],
  },
  accessories: {
    nouns: ["wallet", "belt", "backpack", "sunglasses", "watch", "scarf", "card holder", "tote bag"],
    modifiers: ["leather", "canvas", "slim", "travel", "vegan leather", "classic", "waterproof"],
  },
  kitchen: {
    nouns: ["knife", "pan", "kettle", "mug", "cutting board", "teapot", "grinder", "bowl"],
    modifiers: ["steel", "cast iron", "enamel", "bamboo", "electric", "stoneware", "chef's"],
  },
  sports: {
    nouns: ["yoga mat", "water bottle", "dumbbell", "running shoes", "tent", "helmet", "jump rope"],
    modifiers: ["lightweight", "insulated", "adjustable", "trail", "foldable", "pro", "recycled"],
  },
} as const;

export type CatalogCategory = keyof typeof CATALOG_WORDS;
const CATEGORIES = Object.keys(CATALOG_WORDS) as CatalogCategory[];
const BRANDS = ["Northwind", "Alder & Co", "Kestrel", "Ferro", "Lumen", "Oakridge", "Sable", "Tidewater"];
const BASE32 = "0123456789abcdefghjkmnpqrstvwxyz";
/** 2026-01-01T00:00:00Z: product times are fixed, not "now", so runs see identical rows. */
const EPOCH_MS = 1_767_225_600_000;

export interface SeededCatalog {
  merchantId: string;
  /** Product ids in insertion order. */
  productIds: string[];
}

/** mulberry32: a tiny seeded PRNG, enough to spread prices and words evenly and repeatably. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An id in crossdock's shape (`prd_` + 26 base32 characters), derived from the product's number. */
function productId(n: number): string {
  let tail = "";
  for (let v = n; tail.length < 26; v = Math.floor(v / 32)) tail = BASE32[v % 32] + tail;
  return `prd_${tail}`;
}

export function generateProduct(n: number, merchantId: string) {
  const random = prng(n + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const category = CATEGORIES[n % CATEGORIES.length]!;
  const { nouns, modifiers } = CATALOG_WORDS[category];
  const noun = pick(nouns);
  const modifier = pick(modifiers);
  const brand = pick(BRANDS);
  const createdAt = EPOCH_MS + n * 37_000;
  return {
    id: productId(n),
    merchantId,
    sku: `BN-${String(n).padStart(7, "0")}`,
    title: `${brand} ${modifier} ${noun}`,
    description: `${/^[aeiou]/.test(modifier) ? "An" : "A"} ${modifier} ${noun} by ${brand}, in our ${category} range.`,
    category,
    // Log-uniform from 2.99 to 499.99: many cheap items, a long tail of expensive ones.
    priceMinor: Math.round(299 * (49_999 / 299) ** random()),
    currency: "EUR",
    stock: Math.floor(random() * 500),
    createdAt,
    updatedAt: createdAt,
  };
}

const COLUMNS = [
  "id",
  "merchant_id",
  "sku",
  "title",
  "description",
  "category",
  "price_minor",
  "currency",
  "stock",
  "created_at",
  "updated_at",
] as const;

/**
 * One statement per 500 rows, the rows passed as a JSON array and unpacked by json_each: Miniflare's D1
 * spends milliseconds per statement, so 100,000 single-row INSERTs take minutes and this takes seconds.
 */
const INSERT_ROWS = `INSERT INTO products (${COLUMNS.join(", ")})
  SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;

/** Inserts `count` generated products for `merchantId`; the FTS triggers index each row as it lands. */
export async function seedCatalog(db: D1Database, merchantId: string, count: number): Promise<SeededCatalog> {
  const insert = db.prepare(INSERT_ROWS);
  const productIds: string[] = [];
  for (let start = 0; start < count; start += BATCH_ROWS) {
    const rows: unknown[][] = [];
    for (let n = start; n < Math.min(start + BATCH_ROWS, count); n++) {
      const p = generateProduct(n, merchantId);
      rows.push([
        p.id,
        p.merchantId,
        p.sku,
        p.title,
        p.description,
        p.category,
        p.priceMinor,
        p.currency,
        p.stock,
        p.createdAt,
        p.updatedAt,
      ]);
      productIds.push(p.id);
    }
    await insert.bind(JSON.stringify(rows)).run();
  }
  return { merchantId, productIds };
}
