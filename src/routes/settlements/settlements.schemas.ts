import { z } from "@hono/zod-openapi";
import { SETTLEMENT_STATUSES } from "../../flows/settlements/schema";
import { pageQuery } from "../ops/ops.shared";

const Signed = z.number().int().nullable();

export const SettlementSummarySchema = z
  .object({
    id: z.string().openapi({ example: "stl_01jxyz…" }),
    merchantId: z.string(),
    periodStart: z.iso.datetime().openapi({ description: "The settled UTC day: [periodStart, periodEnd)." }),
    periodEnd: z.iso.datetime(),
    currency: z.string().openapi({ example: "USD" }),
    status: z.enum(SETTLEMENT_STATUSES).openapi({
      description: "`pending` until the settlements consumer has run; `failed` when the payout was refused.",
    }),
    grossSalesMinor: Signed.openapi({ description: "Merchant's lines after discounts; null until settled." }),
    feesMinor: Signed.openapi({ description: "Platform fees net of fees returned on refunds." }),
    refundsMinor: Signed,
    payoutMinor: Signed.openapi({
      description: "gross − fees − refunds. Zero or negative: nothing was paid (negative: owed by you).",
    }),
    payoutId: z.string().nullable(),
    settledAt: z.iso.datetime().nullable(),
    statementUrl: z.string().nullable().openapi({ example: "/v1/settlements/stl_01jxyz…/statement" }),
  })
  .openapi("SettlementSummary");

export const LedgerLineSchema = z
  .object({
    account: z.string().openapi({ example: "merchant_payable" }),
    debitMinor: z.number().int().nonnegative(),
    creditMinor: z.number().int().nonnegative(),
    description: z.string(),
  })
  .openapi("SettlementLedgerLine");

export const SettlementSchema = SettlementSummarySchema.extend({
  ledger: z.array(LedgerLineSchema).openapi({ description: "Double entry: debits equal credits." }),
}).openapi("Settlement");

export const SettlementListSchema = z
  .object({
    items: z.array(SettlementSummarySchema),
    nextCursor: z.string().nullable(),
  })
  .openapi("SettlementList");

export const SettlementListQuerySchema = z.strictObject({
  ...pageQuery,
  merchantId: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Admins only: one merchant's settlements (default: every merchant's)." }),
});

export const SettlementIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "stl_01jxyz…" }),
});
