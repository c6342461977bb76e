import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";
import type { Consumer } from "../../src/platform/events/consumer";
import { type RuntimeOptions, runConsumer } from "../../src/platform/events/consumer-runtime";
import { topology } from "../../src/platform/events/registry";

export interface Delivery {
  body: unknown;
  attempts?: number;
  id?: string;
}

/**
 * Delivers messages to the worker's queue handler as the Queues runtime would, and returns what it
 * acked and retried. `envOverrides` changes vars for this delivery only (e.g. EMAIL_PROVIDER).
 */
export function deliver(queue: string, deliveries: Delivery[], envOverrides: Partial<Env> = {}) {
  return handled(queue, deliveries, (batch, ctx) => worker.queue(batch, { ...env, ...envOverrides }, ctx));
}

/**
 * Runs one consumer's runtime over messages on its own queue, with what the test injects into the
 * runtime (the clock a paused batch waits on, the draw of failure-rate faults). Answers as `deliver`.
 *
 * @example
 * const run = runConsumerOn(userStatsConsumer, [{ body: event }], { clock: time.clock });
 */
export function runConsumerOn(
  consumer: Consumer,
  deliveries: Delivery[],
  options: RuntimeOptions = {},
  envOverrides: Partial<Env> = {},
) {
  const queue = topology().consumers[consumer.name].queue;
  return handled(queue, deliveries, (batch, ctx) =>
    runConsumer(consumer, batch, { ...env, ...envOverrides }, ctx, options),
  );
}

async function handled(
  queue: string,
  deliveries: Delivery[],
  handle: (batch: MessageBatch<unknown>, ctx: ExecutionContext) => Promise<void>,
) {
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
  await handle(batch, ctx);
  const result = await getQueueResult(batch, ctx);
  return {
    ...result,
    retryMessages: result.retryMessages.map((r) => ({ ...r, delaySeconds: delays.get(r.msgId) })),
  };
}

/**
 * A queue binding as a runtime without `metrics()` has it, or (given `metrics`) one that answers those
 * figures instead of the queue's. A stand-in for the platform's own binding, not a third party's API:
 * local workerd always has `metrics()` and only counts what it holds, so a test of the fallback, or of
 * figures the local queue cannot reach (an hour-old message), swaps the one method.
 *
 * @example
 * measureAlertRules({ ...env, EMAIL_QUEUE: queueStandIn(env.EMAIL_QUEUE, async () => { throw new Error("no") }) }, now)
 */
export function queueStandIn(real: Queue, metrics?: () => Promise<QueueMetrics>): Queue {
  const sends = { send: real.send.bind(real), sendBatch: real.sendBatch.bind(real) };
  return (metrics ? { ...sends, metrics } : sends) as Queue;
}

/** Every consumer's producer binding without `metrics()`: the backlog comes from Crossdock's tables. */
export function withoutQueueMetrics(): Partial<Env> {
  return Object.fromEntries(
    Object.values(topology().consumers).map((c) => [c.producer, queueStandIn(env[c.producer] as Queue)]),
  );
}
