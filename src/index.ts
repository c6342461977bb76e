// The flows register the event topology first: everything below may publish or consume.
import "./flows";
import { createApp } from "./app";
import { handleQueue } from "./consumers";
import { PLATFORM_FLOW, scopeOfCron, scopeOfQueue } from "./costs-attribution";
import { CRON_HANDLERS } from "./entry-points";
import { MAINTENANCE_STEPS } from "./maintenance";
import { metered } from "./platform/costs/meter";
import { meteredBatch, meteredEnv } from "./platform/costs/metered-env";
import { runMaintenance } from "./platform/events/maintenance";
import { withDeclaredQueue } from "./platform/events/queue-names";

export { OrderSaga } from "./durable-objects/checkout/order-saga";
export { DedupStore } from "./durable-objects/dedup-store";
export { FaultStore } from "./durable-objects/fault-store";
export { OutboxSweeper } from "./durable-objects/outbox-sweeper";
export { PaymentSandbox } from "./durable-objects/payment-sandbox";
export { RedriveRun } from "./durable-objects/redrive-run";

const app = createApp();

// Every entry point runs metered (src/platform/costs): its bindings count what they are asked to do,
// for the flow that asked (a request's flow is set once the router has matched it, in src/app.ts).
export default {
  fetch: (request, env, ctx) =>
    metered({ flow: PLATFORM_FLOW }, "fetches", async () => app.fetch(request, meteredEnv(env), ctx)),
  queue: (deployed, env, ctx) => {
    // A deployed environment's queues carry its own prefix; everything downstream knows the declared names.
    const batch = withDeclaredQueue(deployed, env.QUEUE_PREFIX);
    return metered(scopeOfQueue(batch.queue), "queueBatches", () =>
      handleQueue(meteredBatch(batch), meteredEnv(env), ctx),
    );
  },
  async scheduled(controller, env) {
    // A flow's own cron (declared in its flow.ts); every other expression is the backbone's maintenance.
    const flowCron = CRON_HANDLERS.get(controller.cron);
    await metered(scopeOfCron(flowCron?.name), "crons", async () => {
      if (flowCron) await flowCron.run(meteredEnv(env), controller.scheduledTime);
      else await runMaintenance(meteredEnv(env), controller.scheduledTime, MAINTENANCE_STEPS);
    });
  },
} satisfies ExportedHandler<Env>;
