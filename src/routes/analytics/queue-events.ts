import type { Context } from "hono";
import type { QueuedClientEvent } from "../../domain/analytics/client-event";
import { jsonBytes, packBySize } from "../../domain/events/pack-by-size";
import { AppError } from "../../platform/errors";
import { sendToSubscribers } from "../../platform/events/fan-out";
import { causedByRequest, newEvent } from "../../platform/events/new-event";
import type { AppEnv } from "../../platform/http/app-env";
import { formatTraceparent } from "../../platform/observability/traceparent";

/**
 * Client events per queue message, by size: the queue takes 128 KB a message, and 48 KiB of events
 * plus the envelope stays well under it even for the largest events validation allows (~1.7 KB).
 */
const MESSAGE_LIMITS = { maxItems: 500, maxBytes: 48 * 1024 };

/** How long a client should wait before resending after the queue refused the events. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Queues accepted events as `analytics.events_received` envelopes, several events per message, and
 * resolves only once the queue has taken every message. There is no D1 state to commit them with, so
 * they go straight to the queue rather than through the outbox; if any send fails the request fails
 * with 503 — nothing is acknowledged that is not stored. Messages sent before the failure may still be
 * counted; a resend with the same event ids counts those once.
 */
export async function queueClientEvents(
  c: Context<AppEnv>,
  ownerId: string,
  events: readonly QueuedClientEvent[],
  now: number,
): Promise<number> {
  const causation = causedByRequest({
    requestId: c.get("requestId"),
    traceparent: formatTraceparent(c.get("trace")),
  });
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
  const failed = await sendToSubscribers(c.env, envelopes);
  if (failed.size > 0) {
    c.get("log").error("analytics.queue-failed", {
      messages: envelopes.length,
      failedMessages: failed.size,
      error: [...failed.values()][0],
    });
    throw new AppError(
      503,
      "queue-unavailable",
      "Service unavailable",
      "The events could not be queued. Send the same request again; events with an id are counted once.",
      { retryAfterSeconds: RETRY_AFTER_SECONDS },
      { "Retry-After": String(RETRY_AFTER_SECONDS) },
    );
  }
  return envelopes.length;
}
