/** The prefix every queue name declared in the flows carries (src/flows/<flow>/flow.ts). */
export const DECLARED_QUEUE_PREFIX = "crossdock-";

/**
 * The declared name of a deployed queue. Queue names are account-wide, so each wrangler environment
 * names its queues with its own prefix (QUEUE_PREFIX: `crossdock-staging-email`); the consumers, the
 * dead-letter store and the cost scopes know queues by their declared name (`crossdock-email`).
 *
 * @example
 * declaredQueueName("crossdock-prod-email-dlq", "crossdock-prod-") // "crossdock-email-dlq"
 */
export function declaredQueueName(queue: string, prefix: string | undefined): string {
  if (!prefix || prefix === DECLARED_QUEUE_PREFIX || !queue.startsWith(prefix)) return queue;
  return DECLARED_QUEUE_PREFIX + queue.slice(prefix.length);
}

/** The batch as if it came from its declared queue; the messages and their ack/retry are the batch's own. */
export function withDeclaredQueue<T>(batch: MessageBatch<T>, prefix: string | undefined): MessageBatch<T> {
  const queue = declaredQueueName(batch.queue, prefix);
  if (queue === batch.queue) return batch;
  return {
    queue,
    get metadata() {
      return batch.metadata;
    },
    messages: batch.messages,
    ackAll: () => batch.ackAll(),
    retryAll: (options) => batch.retryAll(options),
  };
}
