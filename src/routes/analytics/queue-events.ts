import type { Context } from "hono";
import type { QueuedClientEvent } from "../../flows/analytics/client-event";
import { getDb } from "../../platform/db/client";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements } from "../../platform/events/outbox";
import { jsonBytes, packBySize } from "../../platform/events/pack-by-size";
import { publishAfterCommit } from "../../platform/events/publish";
import type { AppEnv } from "../../platform/http/app-env";
import { requestOrigin } from "../../platform/http/request-origin";

/**
 * Client events per queue message, by size: the queue takes 128,000 bytes a message, and 120,000 of
 * events plus the envelope (under 1 KB) stays under it. As large as that allows because each fact
 * costs D1 rows of its own (outbox, consumer bookkeeping) and a counter row per product it names,
 * while Queues bills per 64 KB either way: 500 events in one fact cost fewer rows than in two, for the
 * same queue operations (docs/BENCHMARKS.md, Costs).
 */
const MESSAGE_LIMITS = { maxItems: 500, maxBytes: 120_000 };

/**
 * Records accepted events as `analytics.events_received` facts, several events per fact, in the outbox
 * (one D1 batch, with the request record) and relays them after the response. Acknowledged means
 * committed: the delivery ledger then proves the analytics consumer got every one, whatever happens to
 * the queue or this process afterwards (docs/OPERATIONS.md, Deliveries). Returns how many facts.
 */
export async function queueClientEvents(
  c: Context<AppEnv>,
  ownerId: string,
  events: readonly QueuedClientEvent[],
  now: number,
): Promise<number> {
  const { causation, record } = requestOrigin(c, ownerId);
  const envelopes = packBySize(events, jsonBytes, MESSAGE_LIMITS).map((chunk) =>
    newEvent(
      "analytics.events_received",
      ownerId,
      { ownerId, events: chunk },
      causation,
      "/crossdock/api",
      now,
    ),
  );
  const db = getDb(c.env.DB);
  const [first, ...rest] = outboxStatements(db, envelopes, record, now);
  await db.batch([first!, ...rest]);
  publishAfterCommit(c, envelopes);
  return envelopes.length;
}
