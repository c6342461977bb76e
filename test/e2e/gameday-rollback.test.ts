import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../../gameday/lib/client";
import { AbortedError, FaultSession } from "../../gameday/lib/fault-session";
import { OpsClient } from "../../gameday/lib/ops";
import { SERVED_PORTS, type ServedWorker, startServedWorker } from "../support/served-worker";

// The game-day harness's rollback against the real /ops/faults of the production bundle: whatever
// ends a scenario — an abort, an error in the harness — no fault outlives it.
let server: ServedWorker;
let ops: OpsClient;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

beforeAll(async () => {
  server = await startServedWorker(SERVED_PORTS.gameday);
  const id = "usr_gameday_admin";
  const token = `cds_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  await server.db.batch([
    server.db
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, 'Ops', 'admin', NULL, ?)",
      )
      .bind(id, `${id}@test.crossdock`, now),
    server.db
      .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(await sha256Hex(token), id, now, now + 3_600_000),
  ]);
  ops = new OpsClient(new ApiClient(server.url, { giveUpMs: 10_000, attemptTimeoutMs: 5_000 }), token);
}, 120_000);

afterAll(() => server?.stop());

const active = async () => (await ops.faults()).faults.filter((f) => f.state === "active");

describe("a game day's fault session", () => {
  it("rolls back every fault when the scenario aborts, and closes its chart windows", async () => {
    const session = new FaultSession(ops);
    const outcome = await session.run(async () => {
      await session.inject({ kind: "failure-rate", consumer: "email", rate: 0.3 }, 600, "email fails");
      await session.inject({ kind: "provider-outage", provider: "payments", mode: "fail" }, 600, "payments");
      expect(await active()).toHaveLength(2);
      throw new AbortedError("another consumer's backlog passed its limit");
    });

    expect(outcome).toEqual({ aborted: expect.any(AbortedError) });
    expect(await active()).toEqual([]);
    const ended = (await ops.faults()).faults.filter((f) => f.state === "cleared");
    expect(ended.map((f) => f.kind).sort()).toEqual(["failure-rate", "provider-outage"]);
    // Both windows end at the rollback, not at their 10-minute expiry.
    for (const w of session.windows) expect(w.to).toBeLessThan(w.from + 60_000);
  });

  it("rolls back when the harness itself fails, and lets the error through", async () => {
    const session = new FaultSession(ops);
    await expect(
      session.run(async () => {
        await session.inject({ kind: "pause", consumer: "analytics" }, 600, "analytics paused");
        throw new Error("the load driver crashed");
      }),
    ).rejects.toThrow("the load driver crashed");
    expect(await active()).toEqual([]);
  });

  it("returns the scenario's value after a normal end, with the faults cleared", async () => {
    const session = new FaultSession(ops);
    const outcome = await session.run(async () => {
      await session.inject({ kind: "latency", consumer: "analytics", latencyMs: 100 }, 600, "slow");
      return 42;
    });
    expect(outcome).toEqual({ value: 42 });
    expect(await active()).toEqual([]);
  });
});
