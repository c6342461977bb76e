import { defineFlow } from "../../platform/events/registry";

/** Catalog: request-driven only — it publishes no fact and has no consumer (README.md says why). */
export const catalogFlow = defineFlow({ name: "catalog", events: {}, consumers: {} });
