import { beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "../../support/clock";
import { clearFaults, type FaultView, injectFault, listFaults } from "../../support/faults";
import { call, callWith, postJson } from "../../support/http";
import { createTestUser, type TestUser } from "../../support/users";

const HOUR = 3_600_000;

let admin: TestUser;
beforeEach(async () => {
  admin = await createTestUser("admin");
  await clearFaults(admin);
});

interface Problem {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; in: string; message: string }[];
  consumers?: string[];
}

describe("/ops/faults is for admins only", () => {
  it("answers 401 without a session and 403 to any other role, whatever the method", async () => {
    const buyer = await createTestUser("buyer");
    const merchant = await createTestUser("merchant");
    const body = { kind: "pause", consumer: "email", expiresInSeconds: 60 };
    expect((await call("/ops/faults")).status).toBe(401);
    expect((await postJson("/ops/faults", body)).status).toBe(401);
    for (const user of [buyer, merchant]) {
      expect((await call("/ops/faults", { headers: user.auth })).status).toBe(403);
      expect((await postJson("/ops/faults", body, user.auth)).status).toBe(403);
      expect((await call("/ops/faults", { method: "DELETE", headers: user.auth })).status).toBe(403);
      expect((await call("/ops/faults/flt_x", { method: "DELETE", headers: user.auth })).status).toBe(403);
    }
    expect((await listFaults(admin)).faults.filter((f) => f.state === "active")).toEqual([]);
  });
});

describe("POST /ops/faults", () => {
  it("sets a fault: 201, Location, and the Fault it stored", async () => {
    const res = await postJson(
      "/ops/faults",
      { kind: "failure-rate", consumer: "user-stats", rate: 0.25, expiresInSeconds: 120 },
      admin.auth,
    );
    expect(res.status).toBe(201);
    const fault = await res.json<FaultView>();
    expect(res.headers.get("location")).toBe(`/ops/faults/${fault.id}`);
    expect(fault).toEqual({
      id: expect.stringMatching(/^flt_/),
      kind: "failure-rate",
      consumer: "user-stats",
      rate: 0.25,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      endedAt: null,
      state: "active",
      injected: 0,
    });
    expect(Date.parse(fault.expiresAt) - Date.parse(fault.createdAt)).toBe(120_000);
    const outage = await injectFault(admin, {
      kind: "provider-outage",
      provider: "payments",
      mode: "timeout",
    });
    expect(outage).toMatchObject({ kind: "provider-outage", provider: "payments", mode: "timeout" });
    expect(outage).not.toHaveProperty("consumer");
    expect(outage).not.toHaveProperty("rate");
    const partial = await injectFault(admin, {
      kind: "provider-outage",
      provider: "email",
      mode: "fail",
      rate: 0.05,
    });
    expect(partial).toMatchObject({ kind: "provider-outage", provider: "email", rate: 0.05 });
    expect((await listFaults(admin)).faults.slice(0, 3).map((f) => f.id)).toEqual([
      partial.id,
      outage.id,
      fault.id,
    ]);
  });

  it("refuses an unknown field, a missing or out-of-range field and an unknown kind (400)", async () => {
    const bad = [
      [{ kind: "pause", consumer: "email", expiresInSeconds: 60, rate: 0.5 }, "rate", "unknown field"],
      [{ kind: "latency", consumer: "email", expiresInSeconds: 60 }, "latencyMs", undefined],
      [
        { kind: "latency", consumer: "email", latencyMs: 60_001, expiresInSeconds: 60 },
        "latencyMs",
        undefined,
      ],
      [{ kind: "failure-rate", consumer: "email", rate: 1.5, expiresInSeconds: 60 }, "rate", undefined],
      [{ kind: "duplicate", consumer: "email" }, "expiresInSeconds", undefined],
      [{ kind: "duplicate", consumer: "email", expiresInSeconds: 3601 }, "expiresInSeconds", undefined],
      [{ kind: "duplicate", consumer: "email", expiresInSeconds: 1.5 }, "expiresInSeconds", undefined],
      [
        { kind: "provider-outage", provider: "sms", mode: "fail", expiresInSeconds: 60 },
        "provider",
        undefined,
      ],
      [
        { kind: "provider-outage", provider: "payments", mode: "fail", rate: 0, expiresInSeconds: 60 },
        "rate",
        undefined,
      ],
      [
        { kind: "provider-outage", provider: "payments", mode: "fail", rate: 1.01, expiresInSeconds: 60 },
        "rate",
        undefined,
      ],
      [{ kind: "meteor", consumer: "email", expiresInSeconds: 60 }, "kind", undefined],
    ] as const;
    for (const [body, field, message] of bad) {
      const res = await postJson("/ops/faults", body, admin.auth);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await res.json<Problem>();
      expect(problem.type).toBe("/problems/validation-error");
      expect(problem.errors, JSON.stringify(body)).toContainEqual(
        expect.objectContaining({ field, in: "body", ...(message && { message }) }),
      );
    }
    expect((await listFaults(admin)).faults.filter((f) => f.state === "active")).toEqual([]);
  });

  it("refuses a consumer no flow declares (422 unknown-consumer, naming the ones that exist)", async () => {
    const res = await postJson(
      "/ops/faults",
      { kind: "pause", consumer: "no-such-consumer", expiresInSeconds: 60 },
      admin.auth,
    );
    expect(res.status).toBe(422);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/unknown-consumer");
    expect(problem.consumers).toEqual(expect.arrayContaining(["email", "user-stats"]));
  });

  it("is 409 faults-disabled where FAULTS_ENABLED is not true; listing and clearing still work", async () => {
    const kept = await injectFault(admin, { kind: "duplicate", consumer: "email" });
    const off = callWith({ clock: manualClock().clock, bindings: { FAULTS_ENABLED: "false" } });
    const res = await off("/ops/faults", {
      method: "POST",
      headers: { ...admin.auth, "content-type": "application/json" },
      body: JSON.stringify({ kind: "pause", consumer: "email", expiresInSeconds: 60 }),
    });
    expect(res.status).toBe(409);
    const problem = await res.json<Problem>();
    expect(problem.type).toBe("/problems/faults-disabled");
    expect(problem.detail).toContain("FAULTS_ENABLED");

    const listed = await (await off("/ops/faults", { headers: admin.auth })).json<{
      enabled: boolean;
      faults: FaultView[];
    }>();
    expect(listed.enabled).toBe(false);
    expect(listed.faults.map((f) => f.id)).toContain(kept.id);
    expect((await off(`/ops/faults/${kept.id}`, { method: "DELETE", headers: admin.auth })).status).toBe(204);
    expect((await off("/ops/faults", { method: "DELETE", headers: admin.auth })).status).toBe(204);
    expect((await listFaults(admin)).enabled).toBe(true);
  });
});

describe("GET /ops/faults", () => {
  it("lists active faults first, then those ended in the last 24 h, most recent first; expiry follows the clock", async () => {
    // Far enough ahead that every fault the other tests left has ended more than a day before.
    const time = manualClock(Date.now() + 3 * 24 * HOUR);
    const at = callWith({ clock: time.clock });
    const set = async (body: object) => {
      const res = await at("/ops/faults", {
        method: "POST",
        headers: { ...admin.auth, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      time.advance(1000);
      return res.json<FaultView>();
    };
    const list = async () =>
      (await (await at("/ops/faults", { headers: admin.auth })).json<{ faults: FaultView[] }>()).faults;

    const short = await set({ kind: "pause", consumer: "email", expiresInSeconds: 60 });
    const long = await set({ kind: "latency", consumer: "email", latencyMs: 10, expiresInSeconds: 3600 });
    const cleared = await set({ kind: "duplicate", consumer: "user-stats", expiresInSeconds: 3600 });
    const newest = await set({
      kind: "provider-outage",
      provider: "email",
      mode: "fail",
      expiresInSeconds: 3600,
    });
    expect((await at(`/ops/faults/${cleared.id}`, { method: "DELETE", headers: admin.auth })).status).toBe(
      204,
    );
    const clearedAt = time.now();
    expect((await list()).map((f) => [f.id, f.state])).toEqual([
      [newest.id, "active"],
      [long.id, "active"],
      [short.id, "active"],
      [cleared.id, "cleared"],
    ]);

    time.advance(60_000);
    const later = await list();
    expect(later.map((f) => [f.id, f.state])).toEqual([
      [newest.id, "active"],
      [long.id, "active"],
      // Ended most recently first: it expired after the other was cleared.
      [short.id, "expired"],
      [cleared.id, "cleared"],
    ]);
    expect(later[2]?.endedAt).toBe(short.expiresAt);
    expect(later[3]?.endedAt).toBe(new Date(clearedAt).toISOString());

    // A day after they ended, faults are no longer listed.
    time.advance(24 * HOUR);
    expect((await list()).map((f) => [f.id, f.state])).toEqual([
      [newest.id, "expired"],
      [long.id, "expired"],
    ]);
  });
});

describe("DELETE /ops/faults", () => {
  it("clears one fault (204; it stays listed, cleared), 404 for an unknown id", async () => {
    const fault = await injectFault(admin, { kind: "pause", consumer: "email" });
    await clearFaults(admin, fault.id);
    const listed = (await listFaults(admin)).faults.find((f) => f.id === fault.id);
    expect(listed).toMatchObject({ state: "cleared", endedAt: expect.any(String) });
    // Clearing an ended fault again changes nothing.
    await clearFaults(admin, fault.id);
    expect((await listFaults(admin)).faults.find((f) => f.id === fault.id)).toEqual(listed);

    const res = await call("/ops/faults/flt_unknown", { method: "DELETE", headers: admin.auth });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });

  it("clears every active fault at once", async () => {
    const a = await injectFault(admin, { kind: "pause", consumer: "email" });
    const b = await injectFault(admin, { kind: "provider-outage", provider: "payments", mode: "fail" });
    await clearFaults(admin);
    const { faults } = await listFaults(admin);
    expect(faults.filter((f) => f.state === "active")).toEqual([]);
    expect(faults.filter((f) => f.id === a.id || f.id === b.id).map((f) => f.state)).toEqual([
      "cleared",
      "cleared",
    ]);
  });
});
