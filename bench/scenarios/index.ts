import { me } from "./me";
import type { Scenario } from "./types";

/**
 * The scenarios `npm run bench` runs, in order. search and quote (./search.ts, ./quote.ts) join this
 * list once the product search query and the pricing engine they measure are merged.
 */
export const scenarios: readonly Scenario[] = [me];
