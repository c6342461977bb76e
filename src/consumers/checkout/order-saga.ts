import type { ExternalConsumer } from "../../platform/events/consumer";

/**
 * Starts each placed order's checkout saga in its Durable Object (`idFromName(orderId)`). `start` is
 * idempotent for as long as the object lives (a started saga keeps its record), so a redelivered
 * `order.placed` still starts one saga: the object is this consumer's dedup store, and the runtime's
 * DedupStore claim would only add two Durable Object calls per order. The envelope goes along so the
 * saga's facts join the order's trace.
 */
export const orderSagaConsumer = {
  name: "order-saga",
  effect: "external",
  dedup: "effect",
  // Every message starts a different order's object: nothing to keep in order within a batch.
  concurrency: 100,
  async handle(event, ctx) {
    const saga = ctx.env.ORDER_SAGA.get(ctx.env.ORDER_SAGA.idFromName(event.data.orderId));
    const { started } = await saga.start(event.data, {
      id: event.id,
      correlationid: event.correlationid,
      traceparent: event.traceparent,
    });
    ctx.log.info("order-saga.start", { orderId: event.data.orderId, started });
  },
} satisfies ExternalConsumer<"order.placed">;
