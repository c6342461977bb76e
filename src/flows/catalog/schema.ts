import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/schema";
import { CATEGORIES } from "./categories";

export const products = sqliteTable(
  "products",
  {
    // Explicit rowid alias: the FTS5 index points at it, and an implicit rowid may change on VACUUM.
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    id: text("id").notNull().unique(),
    merchantId: text("merchant_id")
      .notNull()
      .references(() => users.id),
    sku: text("sku").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull(),
    // The enum is TypeScript-only in SQLite (no CHECK): the API validates, the types follow.
    category: text("category", { enum: CATEGORIES }).notNull(),
    priceMinor: integer("price_minor").notNull(),
    currency: text("currency").notNull(),
    stock: integer("stock").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("products_merchant_sku_idx").on(t.merchantId, t.sku),
    // Each browse order, with and without a category filter, is an index walk: no sort, no scan.
    index("products_category_price_idx").on(t.category, t.priceMinor, t.seq),
    index("products_category_created_idx").on(t.category, t.createdAt, t.seq),
    index("products_price_idx").on(t.priceMinor, t.seq),
    index("products_created_idx").on(t.createdAt, t.seq),
  ],
);

export const PROMOTION_KINDS = ["percentage", "fixed"] as const;

export const promotions = sqliteTable("promotions", {
  code: text("code").primaryKey(),
  kind: text("kind", { enum: PROMOTION_KINDS }).notNull(),
  // Basis points for `percentage` (1000 = 10%), minor units for `fixed`.
  value: integer("value").notNull(),
  minSubtotalMinor: integer("min_subtotal_minor").notNull().default(0),
  // When set, the discount applies only to lines of this category.
  category: text("category"),
  startsAt: integer("starts_at").notNull(),
  expiresAt: integer("expires_at"),
  createdAt: integer("created_at").notNull().default(sql`(unixepoch() * 1000)`),
});

export type ProductRow = typeof products.$inferSelect;

export type PromotionRow = typeof promotions.$inferSelect;
