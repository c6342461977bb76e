import { intFromEnv } from "../lib/config";

/**
 * Settings of `npm run bench:events`, overridable from the environment; every value is bounded. A quick
 * smoke run: `BENCH_EVENTS_SIGNUPS=200 BENCH_EVENTS_MESSAGES=2000 BENCH_ROUNDS=1 npm run bench:events`.
 */
export interface EventsConfig {
  /** Sign-ups driven through POST /v1/auth/signup for the relay latency. */
  signups: number;
  /** Sign-ups in flight at once. */
  concurrency: number;
  /** Messages pre-loaded per drain run; a multiple of the queue's max_batch_size. */
  messages: number;
  /** Drain rounds, each one crossdock run and one bare run, in alternating order. */
  rounds: number;
  /** BENCH_NOTE: a remark for the top of the report (e.g. what else the machine was doing), or null. */
  note: string | null;
}

export const EVENTS_DEFAULTS = {
  signups: 1_000,
  concurrency: 8,
  messages: 20_000,
  // Five, not the HTTP harness's six: each round drains the full message count twice (about 25 s), and
  // five paired ratios already give the drain ratio's interval four degrees of freedom.
  rounds: 5,
} as const;

export function readEventsConfig(): EventsConfig {
  return {
    signups: intFromEnv("BENCH_EVENTS_SIGNUPS", EVENTS_DEFAULTS.signups, 10, 20_000),
    concurrency: intFromEnv("BENCH_EVENTS_CONCURRENCY", EVENTS_DEFAULTS.concurrency, 1, 64),
    messages: intFromEnv("BENCH_EVENTS_MESSAGES", EVENTS_DEFAULTS.messages, 1_000, 200_000),
    rounds: intFromEnv("BENCH_ROUNDS", EVENTS_DEFAULTS.rounds, 1, 10),
    note: process.env.BENCH_NOTE?.trim().slice(0, 500) || null,
  };
}

/** A run smaller than the defaults: its report goes to bench/.results only, never into docs/BENCHMARKS.md. */
export const isSmokeEventsRun = (c: EventsConfig) =>
  c.signups < EVENTS_DEFAULTS.signups ||
  c.messages < EVENTS_DEFAULTS.messages ||
  c.rounds < EVENTS_DEFAULTS.rounds;
