import { z } from "zod";
import { defineEvent, type EventDefinition } from "../../platform/events/define-event";

const Period = {
  settlementId: z.string().min(1),
  merchantId: z.string().min(1),
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The settled UTC day, [periodStart, periodEnd), RFC 3339. */
  periodStart: z.iso.datetime(),
  periodEnd: z.iso.datetime(),
};
const EXAMPLE_PERIOD = {
  settlementId: "stl_01",
  merchantId: "usr_m1",
  currency: "USD",
  periodStart: "2026-11-26T00:00:00.000Z",
  periodEnd: "2026-11-27T00:00:00.000Z",
};

const OpenedV1 = z.object(Period);

export const settlementOpened = defineEvent({
  type: "settlement.opened",
  description:
    "A merchant's period was opened for settlement: its entries are claimed and the payout is due. " +
    "Recorded once per merchant, UTC day and currency.",
  subject: "settlement",
  current: OpenedV1,
  versions: [{ version: 1, schema: OpenedV1, example: EXAMPLE_PERIOD }],
});

const Signed = z.number().int();
const CompletedV1 = z.object({
  ...Period,
  grossSalesMinor: z.number().int().nonnegative(),
  /** Net of fees returned on refunds. */
  feesMinor: Signed,
  refundsMinor: z.number().int().nonnegative(),
  /** gross − fees − refunds; zero or negative means nothing was paid (negative: the merchant owes it). */
  payoutMinor: Signed,
  payoutId: z.string().nullable(),
  /** The CSV statement's key in the FILES bucket. */
  statementKey: z.string(),
});

export const settlementCompleted = defineEvent({
  type: "settlement.completed",
  description:
    "A merchant's period was settled: ledger written, payout made (if any is due), statement stored.",
  subject: "settlement",
  current: CompletedV1,
  versions: [
    {
      version: 1,
      schema: CompletedV1,
      example: {
        ...EXAMPLE_PERIOD,
        grossSalesMinor: 10_000,
        feesMinor: 1_000,
        refundsMinor: 0,
        payoutMinor: 9_000,
        payoutId: "po_01",
        statementKey: "settlements/usr_m1/stl_01.csv",
      },
    },
  ],
});

/** The settlement facts, spread into the event catalog. */
export const SETTLEMENT_EVENTS = {
  [settlementOpened.type]: settlementOpened,
  [settlementCompleted.type]: settlementCompleted,
} as const satisfies Record<string, EventDefinition>;
