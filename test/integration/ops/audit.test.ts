import { beforeEach, describe, expect, it } from "vitest";
import { MAX_AUDITED_BODY_CHARS } from "../../../src/routes/ops/audit";
import { manualClock } from "../../support/clock";
import { clearFaults } from "../../support/faults";
import { call, callWith, postJson } from "../../support/http";
import { clearOpsTables } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface Entry {
  id: string;
  at: string;
  actor: { id: string; email: string | null };
  action: string;
  method: string;
  path: string;
  params: Record<string, string>;
  body: unknown;
  requestId: string;
  status: number;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
  await clearFaults(admin);
  await clearOpsTables(); // clearFaults is itself an action: start each test with an empty log
});

const audit = async (query = "", headers: Record<string, string> = admin.auth) => {
  const res = await call(`/ops/audit${query}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe("every operator action is audited: who, what, when, the request id and the answer", () => {
  it("records a fault set and a clear, with the body, the acted-on id and the request id", async () => {
    const clock = manualClock(Date.parse("2026-12-05T10:00:00.000Z"));
    const app = callWith({ clock: clock.clock });
    const body = { kind: "failure-rate", consumer: "email", rate: 0.5, expiresInSeconds: 60 };
    const set = await app("/ops/faults", {
      method: "POST",
      headers: { ...admin.auth, "content-type": "application/json", "x-request-id": "req-audit-set" },
      body: JSON.stringify(body),
    });
    expect(set.status).toBe(201);
    const { id } = (await set.json()) as { id: string };
    clock.advance(1000);
    const cleared = await app(`/ops/faults/${id}`, { method: "DELETE", headers: admin.auth });
    expect(cleared.status).toBe(204);

    const { items } = await audit();
    expect(items.map((e) => e.action)).toEqual(["faults.clear", "faults.set"]);
    const [clear, setEntry] = items;
    expect(setEntry).toMatchObject({
      at: "2026-12-05T10:00:00.000Z",
      actor: { id: admin.id, email: admin.email },
      method: "POST",
      path: "/ops/faults",
      params: {},
      body,
      requestId: "req-audit-set",
      status: 201,
    });
    expect(clear).toMatchObject({
      at: "2026-12-05T10:00:01.000Z",
      path: `/ops/faults/${id}`,
      params: { id },
      body: null,
      requestId: cleared.headers.get("x-request-id"),
      status: 204,
    });
  });

  it("records a refused action with the status it was refused with", async () => {
    const res = await call("/ops/dead-letters/dlq_missing/redrive", { method: "POST", headers: admin.auth });
    expect(res.status).toBe(404);
    const [entry] = (await audit()).items;
    expect(entry).toMatchObject({
      action: "dead-letters.redrive",
      params: { id: "dlq_missing" },
      status: 404,
      requestId: res.headers.get("x-request-id"),
    });
  });

  it("audits nothing that was not an authenticated admin's act, and reads stay unaudited", async () => {
    const buyer = await createTestUser("buyer");
    expect((await call("/ops/faults", { method: "DELETE" })).status).toBe(401);
    expect((await call("/ops/faults", { method: "DELETE", headers: buyer.auth })).status).toBe(403);
    expect((await call("/ops/dead-letters", { headers: admin.auth })).status).toBe(200);
    expect((await audit()).items).toEqual([]);
  });

  it("keeps a long body cut at the cap, marked as cut", async () => {
    const markdown = "x".repeat(MAX_AUDITED_BODY_CHARS * 2);
    const res = await postJson(
      "/ops/gamedays",
      {
        id: "audit-long",
        scenario: "consumer-failure",
        verdict: "held",
        hypothesis: "h",
        startedAt: "2026-12-05T10:00:00.000Z",
        endedAt: "2026-12-05T10:03:00.000Z",
        checks: [],
        totals: { lost: 0, duplicated: 0, unexpected: 0 },
        markdown,
        reportPath: "gameday/reports/audit-long/",
      },
      admin.auth,
    );
    expect(res.status).toBe(201);
    const [entry] = (await audit("?action=gamedays.record")).items;
    const body = entry?.body as { truncated: string };
    expect(body.truncated).toHaveLength(MAX_AUDITED_BODY_CHARS);
    expect(body.truncated.startsWith('{"id":"audit-long"')).toBe(true);
  });
});

describe("GET /ops/audit", () => {
  it("lists newest first, filters by action and actor, and pages with a cursor bound to its filters", async () => {
    const other = await createTestUser("admin");
    for (const who of [admin, other, admin])
      expect((await call("/ops/alerts/evaluate", { method: "POST", headers: who.auth })).status).toBe(200);
    expect((await call("/ops/faults", { method: "DELETE", headers: admin.auth })).status).toBe(204);

    const all = await audit("?limit=2");
    expect(all.items.map((e) => e.action)).toEqual(["faults.clear-all", "alerts.evaluate"]);
    const rest = await audit(`?limit=2&cursor=${encodeURIComponent(all.nextCursor!)}`);
    expect(rest.items.map((e) => e.actor.id)).toEqual([other.id, admin.id]);
    expect(rest.nextCursor).toBeNull();

    expect((await audit("?action=alerts.evaluate")).items).toHaveLength(3);
    expect((await audit(`?actor=${other.id}`)).items.map((e) => e.action)).toEqual(["alerts.evaluate"]);
    const crossed = await call(`/ops/audit?action=faults.set&cursor=${encodeURIComponent(all.nextCursor!)}`, {
      headers: admin.auth,
    });
    expect(crossed.status).toBe(400);
  });

  it("is for admins only and answers a malformed filter with a 400 problem", async () => {
    const merchant = await createTestUser("merchant");
    expect((await call("/ops/audit")).status).toBe(401);
    expect((await call("/ops/audit", { headers: merchant.auth })).status).toBe(403);
    const bad = await call("/ops/audit?action=DROP%20TABLE", { headers: admin.auth });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
  });
});
