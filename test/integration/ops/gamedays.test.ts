import { beforeEach, describe, expect, it } from "vitest";
import { call, postJson } from "../../support/http";
import { clearOpsTables } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface Item {
  id: string;
  scenario: string;
  verdict: string;
  startedAt: string;
  checksHeld: number;
  checksTotal: number;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
}

const T0 = Date.parse("2026-12-05T10:00:00.000Z");
const checks = [
  { name: "no acknowledged effect lost", expected: "0", actual: "0", held: true },
  { name: "duplicated effects", expected: "0", actual: "0", held: true },
  { name: "backlog drained within 60 s", expected: "≤ 60 s", actual: "72 s", held: false },
];

/** A run as the harness records it, `minutes` after T0. */
const run = (id: string, minutes: number, overrides: Record<string, unknown> = {}) => ({
  id,
  scenario: "consumer-failure",
  verdict: "failed",
  hypothesis: "If the email consumer fails for a minute, no email is lost or sent twice.",
  startedAt: new Date(T0 + minutes * 60_000).toISOString(),
  endedAt: new Date(T0 + (minutes + 3) * 60_000).toISOString(),
  checks,
  totals: { lost: 0, duplicated: 0, unexpected: 1 },
  markdown: `# Game day: consumer-failure — failed\n\nrun ${id}\n`,
  reportPath: `gameday/reports/${id}/`,
  ...overrides,
});

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const record = (body: unknown, headers: Record<string, string> = admin.auth) =>
  postJson("/ops/gamedays", body, headers);
const list = async (query = "") => {
  const res = await call(`/ops/gamedays${query}`, { headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe("POST /ops/gamedays", () => {
  it("records a run once: 201 with the list item, then 409 gameday-exists", async () => {
    const res = await record(run("cf-1", 0));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({
      id: "cf-1",
      scenario: "consumer-failure",
      verdict: "failed",
      hypothesis: run("cf-1", 0).hypothesis,
      startedAt: "2026-12-05T10:00:00.000Z",
      endedAt: "2026-12-05T10:03:00.000Z",
      checksHeld: 2,
      checksTotal: 3,
      totals: { lost: 0, duplicated: 0, unexpected: 1 },
      reportPath: "gameday/reports/cf-1/",
    });
    const again = await record(run("cf-1", 5, { verdict: "held" }));
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: "/problems/gameday-exists" });
    expect((await list()).items.map((i) => [i.id, i.verdict])).toEqual([["cf-1", "failed"]]);
  });

  it("is refused to anyone but an admin, and then records nothing", async () => {
    const merchant = await createTestUser("merchant");
    expect((await record(run("cf-x", 0), merchant.auth)).status).toBe(403);
    expect((await record(run("cf-x", 0), {})).status).toBe(401);
    expect((await list()).items).toEqual([]);
  });

  it("400 names the field: unknown fields, a bad verdict, an end before the start, a bad check", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sampler: "v2" }, ""],
      [{ verdict: "passed" }, "verdict"],
      [{ endedAt: "2026-12-05T09:59:59.000Z" }, "endedAt"],
      [{ checks: [{ name: "x", expected: "0", actual: "0" }] }, "checks.0.held"],
      [{ totals: { lost: -1, duplicated: 0, unexpected: 0 } }, "totals.lost"],
      [{ id: "../etc" }, "id"],
    ];
    for (const [overrides, field] of cases) {
      const res = await record(run("cf-bad", 0, overrides));
      const problem = (await res.json()) as { type: string; errors: { field: string }[] };
      expect({ overrides, status: res.status, type: problem.type }).toEqual({
        overrides,
        status: 400,
        type: "/problems/validation-error",
      });
      if (field) expect(problem.errors.map((e) => e.field)).toContain(field);
    }
    const missing = await record({ id: "cf-bad" });
    expect(missing.status).toBe(400);
    expect((await list()).items).toEqual([]);
  });

  it("keeps a Markdown report up to 256 KiB of UTF-8 and refuses a longer one with a 400", async () => {
    const limit = 256 * 1024;
    // "é" is two bytes: counted as UTF-8, not as characters.
    const fits = `# ok\n${"é".repeat((limit - 6) / 2)}x`;
    const res = await record(run("cf-big", 0, { markdown: fits }));
    expect(res.status).toBe(201);
    const detail = (await (await call("/ops/gamedays/cf-big", { headers: admin.auth })).json()) as {
      markdown: string;
    };
    expect(detail.markdown).toBe(fits);
    const over = await record(run("cf-bigger", 0, { markdown: `${fits}!` }));
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ errors: [{ field: "markdown" }] });
    // Past the route's body limit the body is not even read.
    const huge = await record(run("cf-huge", 0, { markdown: "x".repeat(600 * 1024) }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ type: "/problems/payload-too-large", limitBytes: 512 * 1024 });
  });

  it("replays the first answer to a retry with the same Idempotency-Key", async () => {
    const key = { ...admin.auth, "idempotency-key": "gd-retry-1" };
    const first = await record(run("cf-retry", 0), key);
    expect(first.status).toBe(201);
    const retry = await record(run("cf-retry", 0), key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
  });
});

describe("GET /ops/gamedays", () => {
  it("lists newest first (by start) and pages through every run once", async () => {
    for (const [id, minutes] of [
      ["a", 10],
      ["b", 30],
      ["c", 20],
      ["d", 30],
      ["e", 0],
    ] as const)
      expect((await record(run(id, minutes))).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    // Equal start times fall back to the id, newest (largest) first.
    expect(seen).toEqual(["d", "b", "c", "a", "e"]);
  });

  it("filters by scenario and verdict; a cursor from another filter is refused", async () => {
    await record(run("cf-held", 0, { verdict: "held" }));
    await record(run("cf-failed", 1));
    await record(run("po-aborted", 2, { scenario: "payment-outage", verdict: "aborted" }));
    await record(run("po-held", 3, { scenario: "payment-outage", verdict: "held" }));
    const ids = async (q: string) => (await list(q)).items.map((i) => i.id);
    expect(await ids("?scenario=payment-outage")).toEqual(["po-held", "po-aborted"]);
    expect(await ids("?verdict=held")).toEqual(["po-held", "cf-held"]);
    expect(await ids("?scenario=consumer-failure&verdict=held")).toEqual(["cf-held"]);
    expect(await ids("?scenario=backlog-recovery")).toEqual([]);

    const first = await list("?verdict=held&limit=1");
    expect(first.nextCursor).not.toBeNull();
    const foreign = await call(`/ops/gamedays?verdict=failed&cursor=${first.nextCursor}`, {
      headers: admin.auth,
    });
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toMatchObject({ type: "/problems/invalid-cursor" });
    for (const q of ["?verdict=passed", "?state=held", "?scenario=Bad%20Name"])
      expect((await call(`/ops/gamedays${q}`, { headers: admin.auth })).status).toBe(400);
  });
});

describe("GET /ops/gamedays/{id}", () => {
  it("answers the item with its checks and Markdown", async () => {
    await record(run("cf-1", 0));
    const res = await call("/ops/gamedays/cf-1", { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: "cf-1",
      verdict: "failed",
      checksHeld: 2,
      checksTotal: 3,
      checks,
      markdown: run("cf-1", 0).markdown,
    });
  });

  it("404 problem for an unknown id", async () => {
    const res = await call("/ops/gamedays/nope", { headers: admin.auth });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });
});
