import { type LoadGuardSettings, loadGuardSettings } from "./load-guard";

/**
 * Run settings, overridable from the environment so a quick smoke run is one line:
 * `BENCH_DURATION=2 BENCH_WARMUP=1 BENCH_ROUNDS=1 BENCH_SCENARIOS=me npm run bench`.
 * Every value is bounded, so no setting can make a run loop or last for long.
 */
export interface BenchConfig {
  /** Seconds per measured autocannon run, per worker and round. */
  durationSec: number;
  /** Seconds of unmeasured load per worker and scenario before the first round. */
  warmupSec: number;
  /** Interleaved rounds; each gives one paired crossdock ÷ baseline ratio per baseline, and the intervals come from those. */
  rounds: number;
  connections: number;
  /** Catalog size for the scenarios that need products. */
  products: number;
  /** Scenario names to run; null for all registered scenarios. */
  scenarios: string[] | null;
  /** BENCH_MAX_LOAD and BENCH_ALLOW_LOAD; absent from runs saved before the guard existed. */
  loadGuard?: LoadGuardSettings;
}

export const DEFAULTS = {
  durationSec: 10,
  warmupSec: 3,
  // Twelve: a multiple of the two and three workers a scenario rotates, so each goes first equally
  // often. Six rounds (t = 2.571 with 5 degrees of freedom) left the ratios' intervals about ±10% wide
  // on this machine (bench:all at 1873a39), wider than the few percent that decide a target; twelve
  // (t = 2.201 over √12) make them about 40% narrower, for 6 × 10 s more per scenario and worker.
  rounds: 12,
  connections: 16,
  products: 100_000,
} as const;

export function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}; got '${raw}'.`);
  }
  return value;
}

export function readConfig(): BenchConfig {
  const names = process.env.BENCH_SCENARIOS?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    durationSec: intFromEnv("BENCH_DURATION", DEFAULTS.durationSec, 1, 120),
    warmupSec: intFromEnv("BENCH_WARMUP", DEFAULTS.warmupSec, 0, 60),
    rounds: intFromEnv("BENCH_ROUNDS", DEFAULTS.rounds, 1, 30),
    connections: intFromEnv("BENCH_CONNECTIONS", DEFAULTS.connections, 1, 256),
    products: intFromEnv("BENCH_PRODUCTS", DEFAULTS.products, 0, 1_000_000),
    scenarios: names && names.length > 0 ? names : null,
    loadGuard: loadGuardSettings(process.env),
  };
}

/** A shortened or partial run: its report goes to bench/.results only, never over docs/BENCHMARKS.md. */
export function isSmokeRun(config: BenchConfig, allScenarios: readonly string[]): boolean {
  return (
    config.durationSec < DEFAULTS.durationSec ||
    config.warmupSec < DEFAULTS.warmupSec ||
    config.rounds < DEFAULTS.rounds ||
    config.products < DEFAULTS.products ||
    (config.scenarios !== null && allScenarios.some((name) => !config.scenarios?.includes(name)))
  );
}
