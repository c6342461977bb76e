import type { ExternalConsumer } from "../../platform/events/consumer";

/**
 * Starts each placed order's checkout saga in its Durable Object (`idFromName(orderId)`). `start` is
 * idempotent, so a redelivered `order.placed` — or one the dedup lease let through twice — still
 * starts one saga; the envelope goes along so the saga's facts join the order's trace.
 */
export const orderSagaConsumer = {
  name: "order-saga",
  effect: "external",
  // start() only persists and arms an alarm; the steps run later, from the object's alarm.
  leaseMs: 10_000,
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
