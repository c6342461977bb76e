import autocannon from "autocannon";
import type { BenchRequest } from "../scenarios/types";

export interface LoadOptions {
  connections: number;
  durationSec: number;
}

/** What one autocannon run measured; latencies in milliseconds. */
export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Completed requests. */
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSec: number;
}

let current: autocannon.Instance | undefined;

/** Stops the run in progress, if any (on Ctrl-C); its promise then resolves with what was measured. */
export function stopLoad(): void {
  current?.stop();
}

/** Drives `url` with autocannon for a fixed time: closed loop, one request in flight per connection. */
export async function runLoad(url: URL, requests: BenchRequest[], opts: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: url.origin,
    connections: opts.connections,
    duration: opts.durationSec,
    pipelining: 1,
    timeout: 10,
    requests,
  });
  current = instance;
  try {
    const r = await instance;
    return {
      requestsPerSec: r.requests.average,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      meanMs: r.latency.average,
      total: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      durationSec: r.duration,
    };
  } finally {
    current = undefined;
  }
}
