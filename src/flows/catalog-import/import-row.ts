import { z } from "zod";
import { isWellFormedText, MALFORMED_TEXT_MESSAGE } from "../../platform/well-formed-text";
import { CATEGORIES, type Category } from "../catalog/categories";
import { PricingCurrencySchema } from "../pricing/currencies";

/**
 * The columns of an import row; the CSV header must name the required ones (in any order). Any other
 * column (CSV) or field (NDJSON) is ignored — exports from other platforms carry many — and named in
 * the job's result.
 */
export const REQUIRED_COLUMNS = ["sku", "title", "description", "category", "price", "stock"] as const;
export const OPTIONAL_COLUMNS = ["currency"] as const;
export const IMPORT_COLUMNS: readonly string[] = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS];

/** Same bounds as POST /v1/products, so an imported product could also have been created one by one. */
export const MAX_PRICE_MINOR = 100_000_000;
const MAX_STOCK = 1_000_000;

/** "19.99", "5", "0.5" (and the same as JSON numbers); never more than 2 decimals, never negative. */
const DECIMAL = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

const PriceSchema = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    const m = DECIMAL.exec(typeof v === "number" ? String(v) : v.trim());
    if (!m) {
      ctx.addIssue({
        code: "custom",
        message: "must be a non-negative decimal in major units with at most 2 decimals, e.g. 19.99",
      });
      return z.NEVER;
    }
    return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  })
  .pipe(
    z
      .number()
      .int()
      .positive("must be more than 0")
      .max(MAX_PRICE_MINOR, `must be at most ${MAX_PRICE_MINOR / 100}`),
  );

/** A whole number, or (from CSV) its digits. */
const StockSchema = z.preprocess(
  (v) => (typeof v === "string" && /^\s*-?\d{1,9}\s*$/.test(v) ? Number(v) : v),
  z
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be 0 or more")
    .max(MAX_STOCK, `must be at most ${MAX_STOCK}`),
);

const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max).refine(isWellFormedText, MALFORMED_TEXT_MESSAGE);

export const ImportRowSchema = z.object({
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'"),
  title: text(200),
  description: text(5000),
  category: z.enum(CATEGORIES, { error: `must be one of ${CATEGORIES.join(", ")}` }),
  price: PriceSchema,
  // Optional: a merchant selling in one currency leaves it out (or leaves the CSV cell empty). The same
  // currencies as POST /v1/products: those quotes can price.
  currency: z.preprocess((c) => (c === "" ? undefined : c), PricingCurrencySchema.default("USD")),
  stock: StockSchema,
});

/** A valid row, ready to upsert: price in integer minor units. */
export interface ImportProduct {
  sku: string;
  title: string;
  description: string;
  category: Category;
  priceMinor: number;
  currency: string;
  stock: number;
}

/** How many ignored column names a job's result lists, and how long each may be. */
export const MAX_IGNORED_COLUMNS = 20;
const MAX_IGNORED_NAME = 100;

const KNOWN_COLUMNS: ReadonlySet<string> = new Set(IMPORT_COLUMNS);

/** Adds the row's fields that an import does not use to `into` (names cut at 100 characters). */
export function collectIgnoredFields(fields: Record<string, unknown>, into: Set<string>): void {
  for (const name in fields) {
    if (!KNOWN_COLUMNS.has(name)) into.add(name.slice(0, MAX_IGNORED_NAME));
  }
}

/** The names a result lists: sorted, the first MAX_IGNORED_COLUMNS (the same whatever order they came in). */
export const listedIgnoredColumns = (names: Iterable<string>) =>
  [...new Set([...names].map((n) => n.slice(0, MAX_IGNORED_NAME)))].sort().slice(0, MAX_IGNORED_COLUMNS);

export type RowVerdict = { ok: true; product: ImportProduct } | { ok: false; reason: string };

const MAX_REASON = 500;

/** Validates one row's fields; a rejection says which fields are wrong and why, in one line. */
export function validateImportRow(fields: unknown): RowVerdict {
  const parsed = ImportRowSchema.safeParse(fields);
  if (!parsed.success) {
    const reason = parsed.error.issues
      .map((i) => {
        const field = i.path.join(".");
        const message = i.code === "invalid_type" && i.input === undefined ? "is required" : i.message;
        return field ? `${field}: ${message}` : message;
      })
      .join("; ");
    return { ok: false, reason: reason.slice(0, MAX_REASON) };
  }
  // Field by field rather than rest and spread: this runs for every row of every import.
  const d = parsed.data;
  return {
    ok: true,
    product: {
      sku: d.sku,
      title: d.title,
      description: d.description,
      category: d.category,
      priceMinor: d.price,
      currency: d.currency,
      stock: d.stock,
    },
  };
}
