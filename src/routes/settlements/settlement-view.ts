import type { z } from "@hono/zod-openapi";
import type { SettlementRow, settlementLedgerLines } from "../../flows/settlements/schema";
import type { SettlementSchema, SettlementSummarySchema } from "./settlements.schemas";

const iso = (ms: number) => new Date(ms).toISOString();

export const statementUrlOf = (id: string) => `/v1/settlements/${encodeURIComponent(id)}/statement`;

/** A settlement row as the API shows it. */
export function toSettlementSummary(r: SettlementRow): z.infer<typeof SettlementSummarySchema> {
  return {
    id: r.id,
    merchantId: r.merchantId,
    periodStart: iso(r.periodStart),
    periodEnd: iso(r.periodEnd),
    currency: r.currency,
    status: r.status,
    grossSalesMinor: r.grossSalesMinor,
    feesMinor: r.feesMinor,
    refundsMinor: r.refundsMinor,
    payoutMinor: r.payoutMinor,
    payoutId: r.payoutId,
    settledAt: r.settledAt === null ? null : iso(r.settledAt),
    statementUrl: r.statementKey === null ? null : statementUrlOf(r.id),
  };
}

export function toSettlement(
  r: SettlementRow,
  ledger: readonly (typeof settlementLedgerLines.$inferSelect)[],
): z.infer<typeof SettlementSchema> {
  return {
    ...toSettlementSummary(r),
    ledger: ledger.map(({ account, debitMinor, creditMinor, description }) => ({
      account,
      debitMinor,
      creditMinor,
      description,
    })),
  };
}
