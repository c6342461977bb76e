/** The small pieces every benchmark entry point (bench/*.ts) shares. */

/** A positive integer from the environment (e.g. BENCH_ORDERS), or the fallback when unset. */
export function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return n;
}

/** Progress lines prefixed with the harness's name and the seconds since it started. */
export function stepLogger(name: string): (message: string) => void {
  const t0 = Date.now();
  return (message) => console.log(`[${name} +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`);
}

/** Runs a harness: its result is the exit code (0: every check passed); a crash prints its stack and exits 1. */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      process.exitCode = 1;
    },
  );
}
