import { ENTRY_POINTS } from "./entry-points";
import { FLOWS } from "./flows";
import type { CostScope } from "./platform/costs/meter";
import { consumerForDeadLetterQueue, consumerForQueue } from "./platform/events/registry";

/** What the platform's own routes, crons and stores are billed to. */
export const PLATFORM_FLOW = "platform";

const flowOfConsumer = new Map<string, string>(
  FLOWS.flatMap((flow) => Object.keys(flow.consumers).map((name) => [name, flow.name] as const)),
);

/** Each flow's routes by `METHOD path` as the router matches them (`/v1/orders/:id`). */
const flowOfRoute = new Map<string, string>(
  Object.entries(ENTRY_POINTS).flatMap(([flow, entry]) =>
    entry.routes.flatMap((router) =>
      router.routes.filter((r) => r.method !== "ALL").map((r) => [`${r.method} ${r.path}`, flow] as const),
    ),
  ),
);

/** The flow a matched request belongs to: the first of its matched routes that a flow declares. */
export function flowOfMatchedRoutes(matched: readonly { method: string; path: string }[]): string {
  for (const r of matched) {
    const flow = flowOfRoute.get(`${r.method} ${r.path}`);
    if (flow) return flow;
  }
  return PLATFORM_FLOW;
}

/** A queue batch's payer: its consumer and that consumer's flow; a dead-letter queue's origin's flow. */
export function scopeOfQueue(queue: string): CostScope {
  const consumer = consumerForQueue(queue);
  if (consumer) return { flow: flowOfConsumer.get(consumer) ?? PLATFORM_FLOW, consumer };
  const origin = consumerForDeadLetterQueue(queue);
  if (origin) return { flow: flowOfConsumer.get(origin) ?? PLATFORM_FLOW, consumer: "dead-letters" };
  return { flow: PLATFORM_FLOW };
}

/** A cron's payer: the flow that declares it (`settlements:settle-yesterday`), else the platform. */
export const scopeOfCron = (handlerName: string | undefined): CostScope => ({
  flow: handlerName?.split(":")[0] ?? PLATFORM_FLOW,
});
