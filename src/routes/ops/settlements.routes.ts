import { createRoute, z } from "@hono/zod-openapi";
import { periodFromDate } from "../../flows/settlements/period";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { TAGS } from "./ops.shared";

export const RunSettlementsRequestSchema = z
  .strictObject({
    periodStart: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
      .refine((d) => periodFromDate(d) !== null, "must be a real calendar date")
      .optional()
      .openapi({ example: "2026-11-26", description: "The UTC day to settle; default yesterday (UTC)." }),
  })
  .openapi("RunSettlementsRequest");

export const RunSettlementsResponseSchema = z
  .object({
    period: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
    settlements: z
      .array(z.object({ id: z.string(), merchantId: z.string(), currency: z.string() }))
      .openapi({ description: "Every settlement of the period: opened by this run or an earlier one." }),
  })
  .openapi("RunSettlementsResponse");

export const runSettlementsRoute = createRoute({
  method: "post",
  path: "/ops/settlements/run",
  tags: TAGS,
  summary: "Settle a closed UTC day now (the daily cron does the same at 00:10 UTC)",
  description:
    "Opens one settlement per merchant and currency with unsettled entries, and answers at once; the " +
    "settlements consumer pays out and writes statements behind it. Idempotent per merchant and period: " +
    "a second run opens nothing. 422 `period-not-closed` for a day that has not ended.",
  security: bearerAuth,
  middleware: [...adminAction("settlements.run"), idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { required: false, content: { "application/json": { schema: RunSettlementsRequestSchema } } },
  },
  responses: {
    202: {
      description: "The period's settlements",
      headers: replayedHeader,
      content: { "application/json": { schema: RunSettlementsResponseSchema } },
    },
    ...problems(409, 422),
  },
});
