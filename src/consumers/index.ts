import type { Consumer } from "../platform/events/consumer";
import { runConsumer } from "../platform/events/consumer-runtime";
import { type ConsumerName, consumerForDeadLetterQueue, consumerForQueue } from "../platform/events/topology";
import { createLogger } from "../platform/observability/logger";
import { handleDeadLetters } from "./dead-letters";
import { emailConsumer } from "./email";
import { orderProjectionConsumer } from "./order-projection";
import { userStatsConsumer } from "./user-stats";

/**
 * Every consumer in the topology, under its own name (checked by the type). `null` marks a consumer
 * whose queue exists but whose handler is not built yet: its batches are retried like an unknown
 * queue's, so no message is acked unheard.
 */
const CONSUMER_HANDLERS: { readonly [N in ConsumerName]: (Consumer & { name: N }) | null } = {
  email: emailConsumer,
  "user-stats": userStatsConsumer,
  // The OrderSaga Durable Object and its consumer arrive with feat/orders-do.
  "order-saga": null,
  "order-projection": orderProjectionConsumer,
};

/**
 * The worker's queue handler: a consumer's own queue goes to its runtime, any `*-dlq` to the
 * dead-letter consumer. A batch from a queue nobody owns (or whose consumer has no handler) is retried, never acked: a configuration
 * mistake must keep the messages (they reach that queue's DLQ after its retries) and be loud.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const consumer = consumerForQueue(batch.queue);
  const handler = consumer ? CONSUMER_HANDLERS[consumer] : null;
  if (handler) return runConsumer(handler, batch, env, ctx);
  const deadLettersOf = consumerForDeadLetterQueue(batch.queue);
  if (deadLettersOf) return handleDeadLetters(deadLettersOf, batch, env);
  createLogger({ queue: batch.queue }).error("queue.unknown", {
    messages: batch.messages.length,
    consumer: consumer ?? null,
    note: consumer
      ? "this consumer has no handler yet; retrying the batch"
      : "no consumer owns this queue; retrying the batch",
  });
  batch.retryAll();
}
