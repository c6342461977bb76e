import type { Context } from "hono";
import type { EventEnvelope } from "../../domain/events/envelope";
import { armOutboxSweeper } from "../../durable-objects/outbox-sweeper";
import type { AppEnv } from "../http/app-env";
import { errorFields, type Logger } from "../observability/logger";
import { relay } from "./relay";

export interface PublishContext {
  env: Env;
  executionCtx: Pick<ExecutionContext, "waitUntil">;
  log: Logger;
}

/**
 * Publishes events that were just committed to the outbox, after the response is under way: the relay
 * runs inside `waitUntil`, so the caller never waits for the queues nor fails because of them. If the
 * relay cannot publish everything, the outbox sweeper is armed to try again in a few seconds (the cron
 * would get there within a minute anyway). Never throws.
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
 * Relays events now and arms the sweeper for whatever it could not publish. Resolves once done; never
 * rejects. For callers already off the request path (alert evaluation, consumers).
 */
export async function publishNow(env: Env, events: readonly EventEnvelope[], log: Logger): Promise<void> {
  try {
    const { failed } = await relay(env, events, log);
    if (failed.length === 0) return;
  } catch (err) {
    log.error("outbox.relay-failed", { eventIds: events.map((e) => e.id), ...errorFields(err) });
  }
  await armOutboxSweeper(env).catch((err) => log.error("outbox.sweeper-arm-failed", errorFields(err)));
}
