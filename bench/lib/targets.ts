/**
 * What `npm run bench` measures: crossdock; "same-sql", the same D1 statements without the framework
 * (bench/same-sql-worker/); "floor", what a person would write by hand (bench/floor-worker/).
 */
export const TARGETS = ["crossdock", "same-sql", "floor"] as const;
export type Target = (typeof TARGETS)[number];

/** How the report names each target. */
export const TARGET_LABELS: Record<Target, string> = {
  crossdock: "crossdock",
  "same-sql": "same SQL, no framework",
  floor: "hand-written floor",
};

/**
 * Round k's order: the targets rotated by k - 1, so over as many rounds as there are targets each runs
 * in each position once, and drift on the machine hits each alike.
 *
 * @example rotation(["a", "b", "c"], 2) // ["b", "c", "a"]
 */
export const rotation = <T>(targets: readonly T[], round: number): T[] => {
  const k = (round - 1) % targets.length;
  return [...targets.slice(k), ...targets.slice(0, k)];
};
