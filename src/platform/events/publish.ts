import type { Context } from "hono";
import { count } from "../costs/meter";
import type { AppEnv } from "../http/app-env";
import { errorFields, type Logger } from "../observability/logger";
import type { EventEnvelope } from "./envelope";
import { relay } from "./relay";
import { armOutboxSweeper } from "./sweeper";

export interface PublishContext {
  env: Env;
  executionCtx: Pick<ExecutionContext, "waitUntil">;
  log: Logger;
}

/**
 * Publishes events that were just committed to the outbox, after the response is under way: the relay
 * runs inside `waitUntil`, so the caller never waits for the queues nor fails because of them. The
 * outbox sweeper is armed on every such commit, so if the relay cannot publish everything — or the
 * process dies before it does — the sweeper publishes the rest within seconds. Never throws.
 *
 * @example
 * await db.batch([db.insert(users).values(user), ...outboxStatements(db, [event], request)]);
 * publishAfterCommit(c, [event]);
 */
export function publishAfterCommit(
  c: PublishContext | Context<AppEnv>,
  events: readonly EventEnvelope[],
): void {
  if (events.length === 0) return;
  const { env, executionCtx, log } =
    "req" in c ? { env: c.env, executionCtx: c.executionCtx, log: c.get("log") } : c;
  executionCtx.waitUntil(publishNow(env, events, log));
}

/**
 * Arms the sweeper, then relays events now. Resolves once done; never rejects. For callers already off
 * the request path (alert evaluation, consumers, the order saga).
 */
export async function publishNow(env: Env, events: readonly EventEnvelope[], log: Logger): Promise<void> {
  if (events.length === 0) return;
  // Callers come here straight from their commit, and workerd's clock last moved when that commit
  // answered: the relay's `durationMs` runs from here, so it is commit → queued and marked published,
  // the sweeper's arming included (the relay latency issue 3 sets a target for).
  const committedAt = Date.now();
  // Every fact passes here once, just after its commit: the denominator of /ops/costs' "per 1M facts".
  count("facts", events.length);
  // Armed first: a process that dies mid-relay must still leave a wake-up behind.
  await armOutboxSweeper(env).catch((err) => log.error("outbox.sweeper-arm-failed", errorFields(err)));
  try {
    const { failed } = await relay(env, events, log, committedAt);
    if (failed.length > 0) log.warn("outbox.relay-incomplete", { failed: failed.length });
  } catch (err) {
    log.error("outbox.relay-failed", { eventIds: events.map((e) => e.id), ...errorFields(err) });
  }
}
