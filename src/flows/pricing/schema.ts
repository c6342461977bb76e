import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/schema";

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

export type QuoteRow = typeof quotes.$inferSelect;
