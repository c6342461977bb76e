import { registerFlows } from "../platform/events/registry";
import { accountsFlow } from "./accounts/flow";
import { analyticsFlow } from "./analytics/flow";
import { catalogFlow } from "./catalog/flow";
import { catalogImportFlow } from "./catalog-import/flow";
import { checkoutFlow } from "./checkout/flow";
import { emailFlow } from "./email/flow";
import { evaluateAlerts } from "./ops/alerting";
import { opsFlow } from "./ops/flow";
import { pricingFlow } from "./pricing/flow";
import { reportsFlow } from "./reports/flow";
import { settlementsFlow } from "./settlements/flow";

/**
 * Every flow Crossdock is made of: adding one is adding it here (and its routes and consumer handlers to
 * src/entry-points.ts, which the compiler then demands). The event catalog, the fan-out map, the
 * consumer dispatch, the AsyncAPI document and the wrangler.toml check are all built from this list.
 */
export const FLOWS = [
  // The order here is the order a fact's subscribers are listed in (/ops/events, AsyncAPI).
  checkoutFlow,
  emailFlow,
  accountsFlow,
  settlementsFlow,
  reportsFlow,
  analyticsFlow,
  catalogImportFlow,
  opsFlow,
  catalogFlow,
  pricingFlow,
] as const;

/** A flow's name, as its folders are named in every layer. */
export type FlowName = (typeof FLOWS)[number]["name"];

declare module "../platform/events/registry" {
  interface FlowRegistry {
    flows: typeof FLOWS;
  }
}

/** Registered on import: src/index.ts imports this module before anything else. */
export const TOPOLOGY = registerFlows(FLOWS, {
  // Dead letters are an ops alert's input: evaluate the rules at once rather than at the next minute.
  deadLettered: (env, now, log) => evaluateAlerts(env, now, log),
});
export const EVENT_CATALOG = TOPOLOGY.events;
export const CONSUMERS = TOPOLOGY.consumers;
export const SUBSCRIPTIONS = TOPOLOGY.subscriptions;
