import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import type { RedriveRun } from "../../../src/durable-objects/redrive-run";
import { redriveRun } from "../../../src/durable-objects/redrive-run-client";
import type { RedriveRun as StoredRun } from "../../../src/flows/ops/redrive-runs";
import { manualClock } from "../../support/clock";
import { attemptsOf, eventually } from "../../support/events";
import { call, callWith, postJson } from "../../support/http";
import { clearOpsTables, insertDeadLetter } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface RunView {
  id: string;
  state: string;
  scope: Record<string, unknown>;
  batchSize: number;
  ratePerSecond: number;
  total: number;
  redriven: number;
  failed: number;
  remaining: number;
  failures: { id: string; reason: string }[];
  startedBy: string;
  createdAt: string;
  updatedAt: string;
  nextBatchAt: string | null;
  finishedAt: string | null;
}

const RUNS = "/ops/redrive-runs";

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

/**
 * `count` email dead letters sharing one last error no other test uses (a run's scope), oldest first a
 * second apart, so the order a run takes them in is known.
 */
async function seed(count: number, error = `boom ${crypto.randomUUID()}`) {
  const t = Date.now() - 3_600_000;
  const letters = [];
  for (let i = 0; i < count; i++) {
    letters.push(await insertDeadLetter({ lastError: error, firstFailedAt: t + i * 1000 }));
  }
  return { error, ids: letters.map((l) => l.id), eventIds: letters.map((l) => l.eventId) };
}

const statuses = async (ids: string[]) => {
  const out: string[] = [];
  for (const id of ids) {
    const row = await env.DB.prepare("SELECT status FROM dead_letters WHERE id = ?").bind(id).first<{
      status: string;
    }>();
    out.push(row?.status ?? "missing");
  }
  return out;
};

/**
 * The app on a clock a day ahead of the wall clock: the run's alarms are set for then and never fire
 * during the test, so each batch runs when the test ticks the run at a time it chooses.
 */
function atInjectedTime() {
  const time = manualClock(Date.now() + 86_400_000);
  const app = callWith({ clock: time.clock });
  // Each call a millisecond after the last, so the audit log's order is the order of the calls.
  const post = (path: string, body?: unknown) => {
    time.advance(1);
    return app(path, {
      method: "POST",
      headers: { ...admin.auth, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  return { time, app, post };
}

const tick = async (id: string, at: number) => (await redriveRun(env, id).tick(at)) as StoredRun;

describe("POST /ops/redrive-runs: a throttled run", () => {
  it("redrives batchSize letters per batch, one batch per batchSize/rate seconds, oldest first, until done", async () => {
    const { time, post } = atInjectedTime();
    const { error, ids } = await seed(25);
    const bystander = await insertDeadLetter({ lastError: "something else" });

    const res = await post(RUNS, { consumer: "email", error, batchSize: 10, ratePerSecond: 0.5 });
    expect(res.status).toBe(202);
    const started = (await res.json()) as RunView;
    expect(res.headers.get("location")).toBe(`${RUNS}/${started.id}`);
    expect(started).toMatchObject({
      state: "running",
      scope: { consumer: "email", error },
      total: 25,
      redriven: 0,
      remaining: 25,
      startedBy: admin.email,
      nextBatchAt: new Date(time.now()).toISOString(),
    });

    const t0 = time.now();
    const first = await tick(started.id, t0);
    expect(first).toMatchObject({ redriven: 10, remaining: 15, state: "running", nextBatchAt: t0 + 20_000 });
    expect(await statuses(ids)).toEqual([...Array(10).fill("redriven"), ...Array(15).fill("dead")]);

    // Not due before its interval: the rate holds.
    expect((await tick(started.id, t0 + 19_999)).redriven).toBe(10);
    // A letter of the first batch dies again meanwhile: the run has passed it and never takes it again.
    await env.DB.prepare("UPDATE dead_letters SET status = 'dead', redriven_at = NULL WHERE id = ?")
      .bind(ids[0])
      .run();
    expect(await tick(started.id, t0 + 20_000)).toMatchObject({ redriven: 20, remaining: 5 });
    const last = await tick(started.id, t0 + 40_000);
    expect(last).toMatchObject({ redriven: 25, remaining: 0, state: "done", nextBatchAt: null });
    expect(last.finishedAt).toBe(t0 + 40_000);
    expect(await statuses(ids)).toEqual(["dead", ...Array(24).fill("redriven")]);
    expect(await statuses([bystander.id])).toEqual(["dead"]);

    const view = await call(`${RUNS}/${started.id}`, { headers: admin.auth });
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({
      state: "done",
      total: 25,
      redriven: 25,
      failed: 0,
      remaining: 0,
    });
  });

  it("counts letters it cannot redrive as failed, with why, and goes past them", async () => {
    const { post } = atInjectedTime();
    const { error, ids } = await seed(3);
    const poison = await insertDeadLetter({ lastError: error, envelope: "garbage", firstFailedAt: 1 });
    const res = await post(RUNS, { error, batchSize: 100, ratePerSecond: 1 });
    const run = (await res.json()) as RunView;
    const done = await tick(run.id, Date.parse(run.createdAt));
    expect(done).toMatchObject({ state: "done", total: 4, redriven: 3, failed: 1 });
    expect(done.failures).toEqual([{ id: poison.id, reason: expect.stringContaining("not JSON") }]);
    expect(await statuses(ids)).toEqual(["redriven", "redriven", "redriven"]);
  });

  it("takes explicit ids, only those that are dead", async () => {
    const { post } = atInjectedTime();
    const { ids } = await seed(4);
    const res = await post(RUNS, { ids: [ids[1], ids[3], "dlq_nope"], batchSize: 1, ratePerSecond: 1 });
    const run = (await res.json()) as RunView;
    expect(run.total).toBe(2);
    const t0 = Date.parse(run.createdAt);
    await tick(run.id, t0);
    expect((await tick(run.id, t0 + 1000)).state).toBe("done");
    expect(await statuses(ids)).toEqual(["dead", "redriven", "dead", "redriven"]);
  });

  it("pauses (no batch starts), resumes where it stopped, and cancels, each audited", async () => {
    const { time, post } = atInjectedTime();
    const { error, ids } = await seed(30);
    const run = (await (await post(RUNS, { error, batchSize: 10, ratePerSecond: 1 })).json()) as RunView;
    const t0 = time.now();
    await tick(run.id, t0);

    const paused = await post(`${RUNS}/${run.id}/pause`);
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ state: "paused", redriven: 10, nextBatchAt: null });
    expect((await tick(run.id, t0 + 3_600_000)).redriven).toBe(10);
    const again = await post(`${RUNS}/${run.id}/pause`);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: "/problems/redrive-run-state", state: "paused" });

    time.advance(60_000);
    const resumed = await post(`${RUNS}/${run.id}/resume`);
    expect(await resumed.json()).toMatchObject({
      state: "running",
      nextBatchAt: new Date(time.now()).toISOString(),
    });
    expect(await tick(run.id, time.now())).toMatchObject({ redriven: 20, remaining: 10 });

    const cancelled = await post(`${RUNS}/${run.id}/cancel`);
    expect(await cancelled.json()).toMatchObject({ state: "cancelled", redriven: 20 });
    expect((await tick(run.id, time.now() + 3_600_000)).redriven).toBe(20);
    expect(await statuses(ids)).toEqual([...Array(20).fill("redriven"), ...Array(10).fill("dead")]);
    for (const command of ["resume", "cancel", "pause"]) {
      expect((await post(`${RUNS}/${run.id}/${command}`)).status).toBe(409);
    }

    const audit = (await (await call("/ops/audit?limit=100", { headers: admin.auth })).json()) as {
      items: { action: string; status: number }[];
    };
    expect(audit.items.map((e) => `${e.action} ${e.status}`).reverse()).toEqual([
      "dead-letters.redrive-run 202",
      "dead-letters.redrive-run.pause 200",
      "dead-letters.redrive-run.pause 409",
      "dead-letters.redrive-run.resume 200",
      "dead-letters.redrive-run.cancel 200",
      "dead-letters.redrive-run.resume 409",
      "dead-letters.redrive-run.cancel 409",
      "dead-letters.redrive-run.pause 409",
    ]);
  });

  it("survives a crash between a batch and its record: it resumes from storage and sends no letter twice", async () => {
    const { time, post } = atInjectedTime();
    const { error, ids, eventIds } = await seed(20);
    const run = (await (await post(RUNS, { error, batchSize: 10, ratePerSecond: 10 })).json()) as RunView;
    const stub = env.REDRIVE_RUNS.get(env.REDRIVE_RUNS.idFromName(run.id));
    const stored = () =>
      runInDurableObject(
        stub,
        async (_o: RedriveRun, state) => (await state.storage.get<StoredRun>("run")) ?? null,
      );
    const before = await stored();

    const t0 = time.now();
    expect((await tick(run.id, t0)).redriven).toBe(10);
    // The object dies after the batch's letters were sent and marked, before its state was saved: the
    // stored run is the one from before the batch, and the alarm wakes a fresh instance.
    await runInDurableObject(stub, async (_o: RedriveRun, state) => {
      await state.storage.put("run", before);
    });
    const resumed = await tick(run.id, t0 + 1000);
    expect(resumed).toMatchObject({ state: "done", remaining: 0 });
    expect(await statuses(ids)).toEqual(Array(20).fill("redriven"));

    // Through the real queue, each event reached the email consumer exactly once.
    await eventually(async () => {
      for (const id of eventIds) if ((await attemptsOf(id, "email")).length === 0) return null;
      return true;
    });
    for (const id of eventIds) expect(await attemptsOf(id, "email")).toHaveLength(1);
  });

  it("runs by itself on its alarms at the wall clock's time", async () => {
    const { error, ids } = await seed(12);
    const res = await postJson(RUNS, { error, batchSize: 5, ratePerSecond: 100 }, admin.auth);
    expect(res.status).toBe(202);
    const location = res.headers.get("location") as string;
    const done = await eventually(async () => {
      const view = (await (await call(location, { headers: admin.auth })).json()) as RunView;
      return view.state === "done" ? view : null;
    });
    expect(done).toMatchObject({ total: 12, redriven: 12, failed: 0 });
    expect(await statuses(ids)).toEqual(Array(12).fill("redriven"));
  });
});

describe("redrive runs refuse bad input with a problem", () => {
  it("validates the body, and refuses a scope with nothing waiting", async () => {
    await seed(1, "only one");
    const bad = async (body: unknown, field: string) => {
      const res = await postJson(RUNS, body, admin.auth);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(field);
    };
    const ok = { batchSize: 10, ratePerSecond: 5 };
    await bad({ ratePerSecond: 5 }, "batchSize");
    await bad({ ...ok, batchSize: 0 }, "batchSize");
    await bad({ ...ok, batchSize: 101 }, "batchSize");
    await bad({ ...ok, batchSize: 1.5 }, "batchSize");
    await bad({ ...ok, ratePerSecond: 0 }, "ratePerSecond");
    await bad({ ...ok, ratePerSecond: 1001 }, "ratePerSecond");
    await bad({ ...ok, ids: [] }, "ids");
    await bad({ ...ok, force: true }, "force");

    const none = await postJson(RUNS, { ...ok, consumer: "user-stats" }, admin.auth);
    expect(none.status).toBe(422);
    expect(await none.json()).toMatchObject({ type: "/problems/nothing-to-redrive" });
  });

  it("answers 404 for an unknown run, 401/403 for anyone but an admin", async () => {
    expect((await call(`${RUNS}/rdr_nope`, { headers: admin.auth })).status).toBe(404);
    const pause = await call(`${RUNS}/rdr_nope/pause`, { method: "POST", headers: admin.auth });
    expect(pause.status).toBe(404);
    expect(await pause.json()).toMatchObject({ type: "/problems/not-found" });
    const buyer = await createTestUser("buyer");
    expect((await postJson(RUNS, { batchSize: 1, ratePerSecond: 1 }, buyer.auth)).status).toBe(403);
    expect((await postJson(RUNS, { batchSize: 1, ratePerSecond: 1 })).status).toBe(401);
  });
});

describe("DELETE /ops/dead-letters/:id with a reason", () => {
  it("keeps the reason in the audit log; an empty reason is a 400", async () => {
    const dl = await insertDeadLetter();
    const discard = (body: unknown) =>
      call(`/ops/dead-letters/${dl.id}`, {
        method: "DELETE",
        headers: { ...admin.auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await discard({ reason: "  " })).status).toBe(400);
    expect((await discard({ reason: "Duplicate signup" })).status).toBe(204);
    expect(await statuses([dl.id])).toEqual(["discarded"]);
    const audit = (await (
      await call("/ops/audit?action=dead-letters.discard", { headers: admin.auth })
    ).json()) as { items: { status: number; body: unknown }[] };
    expect(audit.items[0]).toMatchObject({ status: 204, body: { reason: "Duplicate signup" } });
  });
});
