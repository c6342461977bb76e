/**
 * The D1 schema, defined once. drizzle-kit generates the migrations from it, drizzle-zod derives the
 * API schemas from it, and the domain reads its row types from it.
 *
 * Conventions: ids are prefixed strings (`usr_…`, `prd_…`), times are epoch milliseconds, money is
 * integer minor units with an ISO 4217 currency beside it.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CATEGORIES } from "../domain/catalog/categories";

export const ROLES = ["buyer", "merchant", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ["catalog:write", "events:write", "reports:read", "orders:read"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  // Null for the admin account, whose password lives in secrets, never in D1.
  passwordHash: text("password_hash"),
  createdAt: integer("created_at").notNull(),
});

/** Bearer sessions. Only a SHA-256 of the token is stored, so a leaked table grants nothing. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // First characters of the key, shown in listings so an owner can tell keys apart.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes", { mode: "json" }).$type<ApiKeyScope[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

/**
 * A throttled login key (`pair:…` an email from one client, `client:…`) and when it may try again, or a
 * watched email (`watch:email:…`, raises an alert, locks nothing) and until when it is watched.
 */
export const loginLockouts = sqliteTable("login_lockouts", {
  key: text("key").primaryKey(),
  until: integer("until").notNull(),
});

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

export const quotes = sqliteTable(
  "quotes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    currency: text("currency").notNull(),
    shipToCountry: text("ship_to_country").notNull(),
    promoCode: text("promo_code"),
    // The priced lines exactly as quoted, so checkout honours this price, not today's.
    lines: text("lines", { mode: "json" }).notNull(),
    subtotalMinor: integer("subtotal_minor").notNull(),
    discountMinor: integer("discount_minor").notNull(),
    shippingMinor: integer("shipping_minor").notNull(),
    taxMinor: integer("tax_minor").notNull(),
    totalMinor: integer("total_minor").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("quotes_user_idx").on(t.userId, t.createdAt)],
);

export type UserRow = typeof users.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type PromotionRow = typeof promotions.$inferSelect;
export type QuoteRow = typeof quotes.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
