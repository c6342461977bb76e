import { defineFlow } from "../../platform/events/registry";

/** Pricing: request-driven only — it publishes no fact and has no consumer (README.md says why). */
export const pricingFlow = defineFlow({ name: "pricing", events: {}, consumers: {} });
