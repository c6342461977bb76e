import { isEventType } from "../../domain/events/catalog";
import type { EventEnvelope } from "../../domain/events/envelope";
import { jsonBytes, packBySize } from "../../domain/events/pack-by-size";
import { CONSUMERS, SUBSCRIPTIONS } from "./topology";

/**
 * One `sendBatch` call: Cloudflare Queues accepts at most 100 messages and 256 KB per call; the byte
 * budget leaves room for each message's metadata.
 */
const SEND_BATCH_LIMITS = { maxItems: 100, maxBytes: 240_000 };

/**
 * Sends each event to the queue of every consumer subscribed to its type (SUBSCRIPTIONS), in as few
 * `sendBatch` calls as the limits allow. Returns the events that failed to reach at least one queue,
 * by id, with the error; never throws for a failed send.
 */
export async function sendToSubscribers(
  env: Env,
  events: readonly EventEnvelope[],
): Promise<Map<string, string>> {
  const byQueue = new Map<(typeof CONSUMERS)[keyof typeof CONSUMERS]["producer"], EventEnvelope[]>();
  for (const e of events) {
    const consumers = isEventType(e.type) ? SUBSCRIPTIONS[e.type] : [];
    for (const name of consumers) {
      const producer = CONSUMERS[name].producer;
      byQueue.set(producer, [...(byQueue.get(producer) ?? []), e]);
    }
  }
  const failed = new Map<string, string>();
  await Promise.all(
    [...byQueue].map(async ([producer, list]) => {
      for (const chunk of packBySize(list, jsonBytes, SEND_BATCH_LIMITS)) {
        try {
          await env[producer].sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
        } catch (err) {
          for (const e of chunk) failed.set(e.id, `${producer}: ${(err as Error).message}`);
        }
      }
    }),
  );
  return failed;
}
