import type { RouteHandler } from "@hono/zod-openapi";
import { count, eq, isNull, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { CONSUMERS, FLOWS } from "../../flows";
import { readCounters } from "../../platform/costs/meter";
import { costLines, priceSheet, todaySpend } from "../../platform/costs/report";
import { getDb } from "../../platform/db/client";
import { UnprocessableError } from "../../platform/errors";
import { stillUnacked } from "../../platform/events/deliveries-query";
import { type BacklogSource, readQueueBacklogs } from "../../platform/events/queue-backlog";
import { type ConsumerName, isConsumerName } from "../../platform/events/registry";
import { deadLetters, deliveries, outbox } from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { costsRoute } from "./costs.routes";

const flowOfConsumer = new Map<string, string>(
  FLOWS.flatMap((f) => Object.keys(f.consumers).map((c) => [c, f.name] as const)),
);

const HOUR_MS = 3_600_000;
const waited = (since: SQLiteColumn, now: number) => sql<number>`coalesce(sum(${now} - ${since}), 0)`;

/**
 * What waits, per queue: facts committed but not relayed (`outbox`); in front of each consumer, what its
 * queue says it holds (`metrics()`) or, where the queue gives no figures, the deliveries its consumer has
 * not acknowledged past the grace period (the ledger; a fact's envelope is its size); and the stored
 * dead letters (a dead-letter queue has no producer binding to ask). Message-hours are the ledger's
 * always: a queue tells only when its oldest message was sent.
 */
async function readBacklog(env: Env, now: number) {
  const db = getDb(env.DB);
  const queues = readQueueBacklogs(env);
  const [unrelayed, unacked, dead] = await db.batch([
    db
      .select({
        messages: count(),
        bytes: sql<number>`coalesce(sum(length(${outbox.envelope})), 0)`,
        waitedMs: waited(outbox.createdAt, now),
      })
      .from(outbox)
      .where(isNull(outbox.publishedAt)),
    db
      .select({
        consumer: deliveries.consumer,
        messages: count(),
        bytes: sql<number>`coalesce(sum(length(${outbox.envelope})), 0)`,
        waitedMs: waited(deliveries.publishedAt, now),
      })
      .from(deliveries)
      .leftJoin(outbox, eq(outbox.id, deliveries.eventId))
      .where(stillUnacked)
      .groupBy(deliveries.consumer),
    db
      .select({
        queue: deadLetters.originQueue,
        messages: count(),
        bytes: sql<number>`coalesce(sum(${deadLetters.sizeBytes}), 0)`,
        waitedMs: waited(deadLetters.lastFailedAt, now),
      })
      .from(deadLetters)
      .where(eq(deadLetters.status, "dead"))
      .groupBy(deadLetters.originQueue),
  ]);
  const row = (
    queue: string,
    r: { messages: number; bytes: number; waitedMs: number },
    source: BacklogSource = "crossdock",
  ) => ({ queue, messages: r.messages, bytes: r.bytes, messageHours: r.waitedMs / HOUR_MS, source });
  const figures = await queues;
  const ledger = new Map(unacked.map((r) => [r.consumer, r]));
  const consumers = [...new Set([...figures.keys(), ...ledger.keys()])];
  const inFront = consumers.flatMap((consumer) => {
    const counted = ledger.get(consumer);
    const queue = isConsumerName(consumer) ? CONSUMERS[consumer].queue : consumer;
    const own = figures.get(consumer as ConsumerName);
    if (!own) return counted ? [row(queue, counted)] : [];
    if (own.count === 0 && !counted) return [];
    return [row(queue, { messages: own.count, bytes: own.bytes, waitedMs: counted?.waitedMs ?? 0 }, "queue")];
  });
  return [
    ...unrelayed.map((r) => row("outbox", r)),
    ...inFront,
    ...dead.map((r) => row(`${r.queue}-dlq (stored)`, r)),
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What GET /ops/costs answers (and the console's Costs page shows): this isolate's counted costs per
 * flow and consumer, today's spend and the backlog, for one flow or all.
 *
 * @throws UnprocessableError (422 `unknown-flow`) for a flow with nothing counted.
 */
export async function readCosts(env: Env, now: number, flow?: string) {
  const { total, today } = readCounters(now);
  let { flows, consumers } = costLines(total);
  if (flow !== undefined) {
    if (!flows.some((f) => f.name === flow)) {
      const counted = flows.map((f) => f.name);
      throw new UnprocessableError(
        `No costs are counted for a flow named '${flow}'. Flows counted: ${counted.join(", ") || "none"}.`,
        "unknown-flow",
        { flows: counted },
      );
    }
    flows = flows.filter((f) => f.name === flow);
    consumers = consumers.filter((line) => flowOfConsumer.get(line.name) === flow);
  }
  const spend = todaySpend(today);
  return {
    scope: "isolate" as const,
    since: iso(total.since),
    cpu: "not-counted" as const,
    flows,
    consumers,
    today: { ...spend, since: iso(spend.since) },
    backlog: await readBacklog(env, now),
    prices: priceSheet(),
  };
}

export const getCosts: RouteHandler<typeof costsRoute, AppEnv> = async (c) => {
  const costs = await readCosts(c.env, c.var.clock.now(), c.req.valid("query").flow);
  c.header("cache-control", "no-store");
  return c.json(costs, 200);
};
