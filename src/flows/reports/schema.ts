/**
 * Reports (POST /v1/reports) and the read model the sales report is built from. `reports` is written
 * by the route (in the batch that creates the job and records `report.requested`) and by the reports
 * consumer; `sales_lines` only by the sales-lines projection. A report's status is its job's
 * (`jobs.status`, the only one stored), named in the report's words by `reportStatusOf`.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { REPORT_TYPES } from "./report";

export const reports = sqliteTable(
  "reports",
  {
    /** The job's id (`job_…`): one id for the status resource and the file. */
    id: text("id").primaryKey(),
    ownerId: text("owner_id").notNull(),
    type: text("type", { enum: REPORT_TYPES }).notNull(),
    /** Inclusive UTC days, `YYYY-MM-DD`, as requested. */
    fromDay: text("from_day").notNull(),
    toDay: text("to_day").notNull(),
    /** Key in the FILES bucket (`reports/<owner>/<id>.csv`); the file exists once the report is ready. */
    objectKey: text("object_key").notNull(),
    /** Data rows (header excluded) and file size, set when ready. */
    rows: integer("rows"),
    bytes: integer("bytes"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    readyAt: integer("ready_at"),
  },
  (t) => [index("reports_owner_idx").on(t.ownerId, t.createdAt)],
);

export const SALES_LINE_STATUSES = ["confirmed", "refunded"] as const;

/**
 * One row per line of a confirmed order, per merchant: what the sales report lists. Fed by
 * `order.confirmed` and `order.refunded`; keyed by (order, line number) so a redelivered or reordered
 * fact rewrites the same row. Money in minor units of `currency`.
 */
export const salesLines = sqliteTable(
  "sales_lines",
  {
    orderId: text("order_id").notNull(),
    /** The line's position in the order (0-based), stable: the order's lines never change. */
    lineNo: integer("line_no").notNull(),
    merchantId: text("merchant_id").notNull(),
    productId: text("product_id").notNull(),
    /** The product's SKU when the line was projected; null if the product was gone by then. */
    sku: text("sku"),
    /** The title as quoted to the buyer. */
    title: text("title").notNull(),
    quantity: integer("quantity").notNull(),
    unitPriceMinor: integer("unit_price_minor").notNull(),
    /** What the merchant sold the line for: quantity × unit price − the line's discount, before tax. */
    amountMinor: integer("amount_minor").notNull(),
    discountMinor: integer("discount_minor").notNull(),
    taxMinor: integer("tax_minor").notNull(),
    currency: text("currency").notNull(),
    confirmedAt: integer("confirmed_at").notNull(),
    refundedAt: integer("refunded_at"),
    status: text("status", { enum: SALES_LINE_STATUSES }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.lineNo] }),
    // The sales report: one merchant's lines in a time range, read in keyset pages (confirmed_at, order, line).
    index("sales_lines_merchant_confirmed_idx").on(t.merchantId, t.confirmedAt, t.orderId, t.lineNo),
    // The products report: units and revenue per product in a range.
    index("sales_lines_merchant_product_idx").on(t.merchantId, t.productId, t.confirmedAt),
  ],
);

export type ReportRow = typeof reports.$inferSelect;
export type SalesLineRow = typeof salesLines.$inferSelect;
