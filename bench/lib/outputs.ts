/**
 * The files a benchmark run writes into the tree (docs/BENCHMARKS.md and its charts). A tree that differs
 * from HEAD only there is still "at" HEAD: bench:all allows it between its steps, and a game day run by
 * bench:all names its commit without "-dirty".
 */
export const isBenchOutput = (path: string): boolean =>
  path === "docs/BENCHMARKS.md" || path.startsWith("docs/benchmarks/");
