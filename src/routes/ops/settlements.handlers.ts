import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { openSettlements } from "../../flows/settlements/open-settlements";
import { isClosed, type Period, periodFromDate, previousDay } from "../../flows/settlements/period";
import { UnprocessableError } from "../../platform/errors";
import { publishAfterCommit } from "../../platform/events/publish";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { requestOrigin } from "../../platform/http/request-origin";
import type { runSettlementsRoute } from "./settlements.routes";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Opens a closed UTC day's settlements in D1 (default yesterday) and relays their facts after the
 * response: POST /ops/settlements/run and the console's "Run settlements" form.
 *
 * @param periodStart `YYYY-MM-DD`, already checked by `RunSettlementsRequestSchema`.
 * @throws UnprocessableError (422 `period-not-closed`) for a day that has not ended.
 */
export async function runSettlementsFor(c: Context<AppEnv>, periodStart: string | undefined) {
  const now = Date.now();
  // The schema has already refused a date that does not exist.
  const period: Period = periodStart === undefined ? previousDay(now) : periodFromDate(periodStart)!;
  if (!isClosed(period, now))
    throw new UnprocessableError(
      `The period ${iso(period.start)}–${iso(period.end)} has not ended yet; only closed UTC days are settled.`,
      "period-not-closed",
      { periodStart: iso(period.start), periodEnd: iso(period.end) },
    );
  const { causation, record } = requestOrigin(c, principalOf(c).userId);
  const { settlements, opened } = await openSettlements(c.env, period, { now, causation, request: record });
  c.get("log").info("settlements.opened", {
    periodStart: iso(period.start),
    opened: opened.length,
    total: settlements.length,
    trigger: "ops",
  });
  publishAfterCommit(c, opened);
  return { period: { start: iso(period.start), end: iso(period.end) }, settlements, opened: opened.length };
}

/** Answers 202 with every settlement of the period; the settlements consumer pays out behind it. */
export const runSettlements: RouteHandler<typeof runSettlementsRoute, AppEnv> = async (c) => {
  const body = (c.req.valid("json") as { periodStart?: string } | undefined) ?? {};
  const { period, settlements } = await runSettlementsFor(c, body.periodStart);
  return c.json({ period, settlements }, 202);
};
