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
 * Client events per queue message, by size: the queue takes 128 KB a message, and 48 KiB of events
 * plus the envelope stays well under it even for the largest events validation allows (~1.7 KB).
 */
const MESSAGE_LIMITS = { maxItems: 500, maxBytes: 48 * 1024 };

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
