/**
 * The synchronous routes a user waits on (me, search, quote), timed at a steady rate while a game day
 * runs, so their p99 can be compared idle vs under the fault in the same run. One attempt per probe
 * (no retries: a retry would hide the latency being measured); a failure is recorded as such.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "../../bench/lib/stats";
import type { ApiClient, ApiRequest } from "./client";

export const SYNC_ROUTES = ["me", "search", "quote"] as const;
export type SyncRoute = (typeof SYNC_ROUTES)[number];

export interface ProbeResult {
  route: SyncRoute;
  /** When the request was sent, epoch ms. */
  t: number;
  ms: number;
  status: number | null;
}

export function probeRequests(buyerToken: string, productId: string): Record<SyncRoute, ApiRequest> {
  return {
    me: { method: "GET", path: "/v1/me", token: buyerToken },
    search: { method: "GET", path: "/v1/products?q=lamp&limit=20" },
    quote: {
      method: "POST",
      path: "/v1/quotes",
      token: buyerToken,
      json: { items: [{ productId, quantity: 1 }], shipTo: { country: "US" } },
    },
  };
}

export class Prober {
  readonly results: ProbeResult[] = [];
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly api: ApiClient,
    private readonly requests: Record<SyncRoute, ApiRequest>,
    /** Probes per second per route. */
    private readonly rate = 4,
  ) {}

  start(): void {
    this.running = true;
    const interval = 1000 / this.rate;
    this.loops = SYNC_ROUTES.map(async (route, i) => {
      // Staggered, so the three routes do not always arrive together.
      await sleep((interval * i) / SYNC_ROUTES.length);
      while (this.running) {
        const t = Date.now();
        let status: number | null = null;
        try {
          status = (await this.api.once(this.requests[route])).status;
        } catch {
          status = null;
        }
        this.results.push({ route, t, ms: Date.now() - t, status });
        await sleep(Math.max(0, interval - (Date.now() - t)));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** p99 of successful probes of `route` sent in [from, to); null when there were none. */
  p99(route: SyncRoute | "all", from: number, to: number): number | null {
    const ms = this.results
      .filter((r) => (route === "all" || r.route === route) && r.t >= from && r.t < to && r.status === 200)
      .map((r) => r.ms);
    return ms.length === 0 ? null : percentile(ms, 99);
  }

  count(from: number, to: number): { ok: number; failed: number } {
    const inWindow = this.results.filter((r) => r.t >= from && r.t < to);
    const ok = inWindow.filter((r) => r.status === 200).length;
    return { ok, failed: inWindow.length - ok };
  }
}
