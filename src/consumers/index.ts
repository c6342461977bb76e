import { ENTRY_POINTS } from "../entry-points";
import type { Consumer } from "../platform/events/consumer";
import { runConsumer } from "../platform/events/consumer-runtime";
import { type ConsumerName, consumerForDeadLetterQueue, consumerForQueue } from "../platform/events/registry";
import { createLogger } from "../platform/observability/logger";
import { handleDeadLetters } from "./dead-letters";

/** Every declared consumer's handler, from the flows' entry points (complete by their type). */
const CONSUMER_HANDLERS = Object.assign({}, ...Object.values(ENTRY_POINTS).map((e) => e.consumers)) as {
  readonly [N in ConsumerName]: Consumer & { name: N };
};

/**
 * The worker's queue handler: a consumer's own queue goes to its runtime, any `*-dlq` to the
 * dead-letter consumer. A batch from a queue nobody owns is retried, never acked: a configuration
 * mistake must keep the messages (they reach that queue's DLQ after its retries) and be loud.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const consumer = consumerForQueue(batch.queue);
  if (consumer) return runConsumer(CONSUMER_HANDLERS[consumer], batch, env, ctx);
  const deadLettersOf = consumerForDeadLetterQueue(batch.queue);
  if (deadLettersOf) return handleDeadLetters(deadLettersOf, batch, env);
  createLogger({ queue: batch.queue }).error("queue.unknown", {
    messages: batch.messages.length,
    note: "no consumer owns this queue; retrying the batch",
  });
  batch.retryAll();
}
