/**
 * What a game day asks of the operations API, as an admin: set and clear faults (`/ops/faults`),
 * enqueue a synthetic backlog of real facts, redrive dead letters, read alerts, and record the run
 * (`/ops/gamedays`). Every call goes through ApiClient, so a flaky moment is retried like a client would.
 */
import { type Snapshot, snapshotOf } from "../../bench/costs/measure";
import type { FaultSpec, FaultState } from "../../src/platform/faults/model";
import type { ApiClient } from "./client";

/** What the harness asks for is what the runtime declares (one source for both). */
export type { FaultSpec };

export type Fault = FaultSpec & {
  id: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  state: FaultState;
  injected: number;
};

export interface Alert {
  id: string;
  rule: string;
  state: "firing" | "resolved";
  value: number;
  threshold: number;
  raisedAt: string;
}

export class OpsClient {
  constructor(
    private readonly api: ApiClient,
    private readonly token: string,
  ) {}

  static async login(api: ApiClient, email: string, password: string): Promise<OpsClient> {
    const { token } = await api.must<{ token: string }>({
      method: "POST",
      path: "/v1/auth/login",
      json: { email, password },
    });
    return new OpsClient(api, token);
  }

  /** The cost counters of the isolate that answers (GET /ops/costs). */
  async costs(): Promise<Snapshot> {
    return snapshotOf(await this.api.must({ method: "GET", path: "/ops/costs", token: this.token }));
  }

  async faults(): Promise<{ enabled: boolean; faults: Fault[] }> {
    return this.api.must({ method: "GET", path: "/ops/faults", token: this.token });
  }

  async setFault(spec: FaultSpec, expiresInSeconds: number): Promise<Fault> {
    return this.api.must(
      { method: "POST", path: "/ops/faults", token: this.token, json: { ...spec, expiresInSeconds } },
      [201],
    );
  }

  async clearFault(id: string): Promise<void> {
    await this.api.must({ method: "DELETE", path: `/ops/faults/${id}`, token: this.token }, [204, 404]);
  }

  /** The rollback: every active fault cleared, whatever state the run is in. */
  async clearAllFaults(): Promise<void> {
    await this.api.must({ method: "DELETE", path: "/ops/faults", token: this.token }, [204]);
  }

  /** `count` (≤ 1000 per call) real facts for `consumer`, modelled on its newest real fact. */
  async backlog(consumer: string, count: number, tag: string): Promise<{ correlationId: string }> {
    return this.api.must(
      { method: "POST", path: "/ops/faults/backlog", token: this.token, json: { consumer, count, tag } },
      [202],
    );
  }

  /** One bulk-redrive call (≤ 100 dead letters); loop on `nextCursor`. */
  async redrive(
    filters: { consumer?: string; queue?: string; type?: string; limit?: number },
    cursor?: string,
  ): Promise<{
    redriven: number;
    failed: { id: string; reason: string }[];
    remaining: number;
    nextCursor: string | null;
  }> {
    return this.api.must({
      method: "POST",
      path: "/ops/dead-letters/redrive",
      token: this.token,
      json: { ...filters, ...(cursor ? { cursor } : {}) },
    });
  }

  /** Runs the alert rules now (the every-minute cron does the same) and returns what fires. */
  async evaluateAlerts(): Promise<unknown> {
    return this.api.must({ method: "POST", path: "/ops/alerts/evaluate", token: this.token });
  }

  async alerts(): Promise<Alert[]> {
    const page = await this.api.must<{ items: Alert[] }>({
      method: "GET",
      path: "/ops/alerts?limit=100",
      token: this.token,
    });
    return page.items;
  }

  async recordRun(run: Record<string, unknown>): Promise<void> {
    await this.api.must({ method: "POST", path: "/ops/gamedays", token: this.token, json: run }, [201, 409]);
  }
}
