import type { RatioTarget } from "../lib/intervals";
import type { Fixtures } from "../seed/fixtures";

/** One HTTP request of a scenario; each autocannon connection cycles through the list in order. */
export interface BenchRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ScenarioContext {
  /** The database both workers read, for anything a scenario seeds beyond the shared fixtures. */
  db: D1Database;
  fixtures: Fixtures;
}

/**
 * A measured endpoint. Every worker receives the same request list in the same order, so the only
 * difference between the measurements is the code that answers.
 */
export interface Scenario {
  name: string;
  /** One line for the report: what a request does. */
  summary: string;
  /**
   * Crossdock's throughput target against the hand-written floor (bench/floor-worker/), and why that
   * value; absent when the floor has no handler for this scenario (it is then not measured).
   */
  floor?: { target: RatioTarget; why: string };
  /** Seeds what the scenario needs and returns the request sequence. */
  setup(ctx: ScenarioContext): Promise<BenchRequest[]>;
  /**
   * The part of a 2xx JSON body that must be equal between crossdock and the baseline, checked before
   * any load is sent; drop what differs by nature (generated ids, timestamps). Default: the whole body.
   */
  comparable?(body: unknown): unknown;
}
