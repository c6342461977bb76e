import { me } from "./me";
import { quote } from "./quote";
import { search } from "./search";
import type { Scenario } from "./types";

/** The scenarios `npm run bench` runs, in order. */
export const scenarios: readonly Scenario[] = [me, search, quote];
