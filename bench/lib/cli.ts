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

/**
 * Runs a harness: its result is the exit code (0: every check passed); a crash prints its stack and exits 1.
 * The process then ends even if something still holds the event loop (a sampler loop a failed scenario
 * never stopped, a fetch to a dead runtime): a harness that hangs after its verdict would hold CI until its
 * time limit and hide the verdict behind a timeout.
 */
export function runMain(main: () => Promise<number>, graceMs = 10_000): void {
  const finish = (code: number) => {
    process.exitCode = code;
    setTimeout(() => {
      console.error(`still busy ${graceMs / 1000} s after the verdict; exiting with ${code}`);
      process.exit(code);
    }, graceMs).unref();
  };
  main().then(finish, (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    finish(1);
  });
}
