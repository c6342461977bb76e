import type { EventEnvelope } from "./envelope";
import { jsonBytes, packBySize } from "./pack-by-size";
import { type ConsumerName, isEventType, topology } from "./registry";

/**
 * One `sendBatch` call: Cloudflare Queues accepts at most 100 messages and 256 KB per call; the byte
 * budget leaves room for each message's metadata.
 */
const SEND_BATCH_LIMITS = { maxItems: 100, maxBytes: 240_000 };

/**
 * Sends events to one consumer's queue, in as few `sendBatch` calls as the limits allow. Returns the
 * events that did not reach it, by id, with the error; never throws for a failed send.
 *
 * @example
 * const failed = await sendToConsumer(env, "email", [event]);
 */
export async function sendToConsumer(
  env: Env,
  consumer: ConsumerName,
  events: readonly EventEnvelope[],
): Promise<Map<string, string>> {
  const producer = topology().consumers[consumer].producer;
  const failed = new Map<string, string>();
  for (const chunk of packBySize(events, jsonBytes, SEND_BATCH_LIMITS)) {
    try {
      await env[producer].sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    } catch (err) {
      for (const e of chunk) failed.set(e.id, `${producer}: ${(err as Error).message}`);
    }
  }
  return failed;
}

/**
 * Sends each event to the queue of every consumer subscribed to its type (topology().subscriptions). Returns the
 * events that failed to reach at least one queue, by id, with the error; never throws for a failed send.
 */
export async function sendToSubscribers(
  env: Env,
  events: readonly EventEnvelope[],
): Promise<Map<string, string>> {
  const byConsumer = new Map<ConsumerName, EventEnvelope[]>();
  for (const e of events) {
    const consumers = isEventType(e.type) ? topology().subscriptions[e.type] : [];
    for (const name of consumers) byConsumer.set(name, [...(byConsumer.get(name) ?? []), e]);
  }
  const failed = new Map<string, string>();
  const results = await Promise.all([...byConsumer].map(([name, list]) => sendToConsumer(env, name, list)));
  for (const r of results) for (const [id, error] of r) failed.set(id, error);
  return failed;
}
