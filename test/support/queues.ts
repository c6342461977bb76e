import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

export interface Delivery {
  body: unknown;
  attempts?: number;
  id?: string;
}

/**
 * Delivers messages to the worker's queue handler as the Queues runtime would, and returns what it
 * acked and retried. `envOverrides` changes vars for this delivery only (e.g. EMAIL_PROVIDER).
 */
export async function deliver(queue: string, deliveries: Delivery[], envOverrides: Partial<Env> = {}) {
  const batch = createMessageBatch(
    queue,
    deliveries.map((d) => ({
      id: d.id ?? crypto.randomUUID(),
      timestamp: new Date(),
      attempts: d.attempts ?? 1,
      body: d.body,
    })),
  );
  // getQueueResult reports which messages were retried but drops the per-message delay the handler
  // asked for, so record it on the way through.
  const delays = new Map<string, number | undefined>();
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options) => {
      delays.set(m.id, options?.delaySeconds);
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...envOverrides }, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
  };
}
