import { publishNow } from "../../platform/events/publish";
import type { Logger } from "../../platform/observability/logger";
import { continueOrStartTrace, formatTraceparent } from "../../platform/observability/traceparent";
import { type OpenResult, openSettlements } from "./open-settlements";
import type { Period } from "./period";

/**
 * Opens a period's settlements and publishes the facts recorded: the cron's path (and the route's,
 * which publishes after its response instead). Publishing is awaited here because a scheduled event
 * has nothing else to wait on; a failure arms the outbox sweeper, it never loses a fact.
 */
export async function runSettlements(
  env: Env,
  period: Period,
  ctx: { now: number; log: Logger; trigger: string },
): Promise<OpenResult> {
  const runId = `settle-${new Date(period.start).toISOString().slice(0, 10)}-${ctx.now}`;
  const result = await openSettlements(env, period, {
    now: ctx.now,
    causation: {
      correlationId: runId,
      causationId: ctx.trigger,
      traceparent: formatTraceparent(continueOrStartTrace(null)),
    },
  });
  ctx.log.info("settlements.opened", {
    periodStart: new Date(period.start).toISOString(),
    opened: result.opened.length,
    total: result.settlements.length,
    trigger: ctx.trigger,
  });
  await publishNow(env, result.opened, ctx.log);
  return result;
}
