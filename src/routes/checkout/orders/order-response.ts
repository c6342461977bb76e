import { z } from "@hono/zod-openapi";
import { STEP_NAMES } from "../../../flows/checkout";
import { CancelReasonSchema } from "../../../flows/checkout/schemas";
import type { OrderRow } from "./order-record";
import type { OrderSchema } from "./orders.schemas";

/** Epoch ms as the saga stores it; an ISO string is accepted too, so either encoding reads the same. */
const Instant = z.union([z.number(), z.string()]).transform((t) => new Date(t).toISOString());

/** A step as the saga writes it into `orders.steps` (extra fields, like the idempotency key, are dropped). */
const StoredStepSchema = z.object({
  name: z.enum(STEP_NAMES),
  status: z.enum(["running", "succeeded", "failed", "retrying", "timed-out", "abandoned"]),
  startedAt: Instant,
  finishedAt: Instant.nullable(),
  attempts: z.number().int().positive(),
  detail: z.string().nullable().default(null),
});
// Built once, not per response (see QuoteLinesSchema).
const StoredStepsSchema = z.array(StoredStepSchema);
const NullableCancelReason = CancelReasonSchema.nullable();

const iso = (ms: number) => new Date(ms).toISOString();

/** `GET /v1/orders/{id}`: the order's row as the saga keeps it, times as ISO 8601. */
export function toOrderResponse(row: OrderRow): z.infer<typeof OrderSchema> {
  return {
    id: row.id,
    status: row.status,
    statusMessage: row.statusMessage,
    cancelReason: NullableCancelReason.parse(row.cancelReason ?? null),
    steps: StoredStepsSchema.parse(row.steps),
    lines: row.lines,
    subtotal: row.subtotalMinor,
    discount: row.discountMinor,
    shipping: row.shippingMinor,
    tax: row.taxMinor,
    total: row.totalMinor,
    currency: row.currency,
    placedAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** Where a client follows an order. */
export const statusUrlOf = (orderId: string) => `/v1/orders/${orderId}`;
