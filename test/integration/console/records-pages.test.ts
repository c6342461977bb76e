import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { dayOf } from "../../../src/flows/settlements/period";
import { getDb } from "../../../src/platform/db/client";
import { deliveries } from "../../../src/platform/events/schema";
import { newId } from "../../../src/platform/ids";
import { createJob } from "../../../src/platform/jobs/job-statements";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import { linkedIds, nextPageOf, pageOf } from "../../support/console-records";
import { call, postJson } from "../../support/http";
import { clearOpsTables, insertMail } from "../../support/ops";

const DAY = 86_400_000;
let ui: ConsoleAdmin;
beforeEach(async () => {
  await clearOpsTables();
  ui = await consoleAdmin();
});

/** Follows pages from `path` to the last; every page must be 200. */
async function allPages(path: string, prefix: string) {
  const ids: string[] = [];
  let pages = 0;
  for (let at: string | null = path; at !== null; pages++) {
    const html = await pageOf(await ui.get(at));
    ids.push(...linkedIds(html, prefix));
    at = nextPageOf(html);
  }
  return { ids, pages };
}

describe("every record page", () => {
  const pages = [
    "/console/events",
    "/console/deliveries",
    "/console/jobs",
    "/console/mailbox",
    "/console/settlements",
    "/console/gamedays",
    "/console/costs",
    "/console/audit",
  ];

  it.each(pages)("%s sends a signed-out visitor to the sign-in form", async (path) => {
    const res = await call(path, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/console/login?next=${encodeURIComponent(path)}`);
  });

  it.each(pages)("%s is in the console's navigation and starts with an h1", async (path) => {
    const html = await pageOf(await ui.get(path));
    expect(html).toContain(`<a href="${path}" aria-current="page">`);
    expect(html).toMatch(/<main><h1>/);
  });
});

describe("/console/deliveries", () => {
  async function delivery(state: "queued" | "retrying" | "dead-lettered", publishedAt: number) {
    const eventId = newId("evt", publishedAt);
    await getDb(env.DB)
      .insert(deliveries)
      .values({
        id: `email/${eventId}`,
        consumer: "email",
        eventId,
        eventType: "user.registered",
        correlationId: "req-deliveries",
        publishedAt,
        state,
        resends: state === "queued" ? 0 : 2,
        lastError: state === "queued" ? null : "provider said 503",
        checkedAt: publishedAt + 1000,
      });
    return eventId;
  }

  it("lists what is outstanding oldest first, filters by state and pages", async () => {
    const t = Date.now() - 3_600_000;
    const a = await delivery("retrying", t);
    const b = await delivery("queued", t + 1000);
    const c = await delivery("dead-lettered", t + 2000);
    const html = await pageOf(await ui.get("/console/deliveries"));
    expect(linkedIds(html, "/console/events/")).toEqual([a, b, c]);
    expect(html).toContain('<span class="badge danger">dead-lettered</span>');
    expect(html).toContain("provider said 503");
    const retrying = await pageOf(await ui.get("/console/deliveries?state=retrying&consumer="));
    expect(linkedIds(retrying, "/console/events/")).toEqual([a]);
    expect(await allPages("/console/deliveries?limit=2", "/console/events/")).toEqual({
      ids: [a, b, c],
      pages: 2,
    });
  });

  it("answers an unknown state or consumer with a 400 page", async () => {
    expect(await pageOf(await ui.get("/console/deliveries?state=lost"), 400)).toContain("<code>state</code>");
    expect(await pageOf(await ui.get("/console/deliveries?consumer=nobody"), 400)).toContain(
      "<code>consumer</code>",
    );
  });
});

describe("/console/jobs", () => {
  async function jobs(n: number) {
    const db = getDb(env.DB);
    const t = Date.now() - 60_000;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const { id, statement } = createJob(db, {
        ownerId: "usr_jobs_owner",
        type: i === 0 ? "catalog_import" : "report",
        now: t + i,
      });
      await statement.run();
      ids.push(id);
    }
    return ids;
  }

  it("lists every account's jobs newest first, filters and pages", async () => {
    const [first, second, third] = await jobs(3);
    await env.DB.prepare(
      `UPDATE jobs SET status = 'failed', error = '{"code":"bad-file","message":"The file is not CSV."}' WHERE id = ?`,
    )
      .bind(first)
      .run();
    const html = await pageOf(await ui.get("/console/jobs"));
    expect(linkedIds(html, "/console/jobs/")).toEqual([third, second, first]);
    expect(html).toContain("usr_jobs_owner");
    expect(html).toContain("0 of ? done, 0 failed");
    const failed = await pageOf(await ui.get("/console/jobs?status=failed"));
    expect(linkedIds(failed, "/console/jobs/")).toEqual([first]);
    const reports = await pageOf(await ui.get("/console/jobs?type=report&owner=usr_jobs_owner"));
    expect(linkedIds(reports, "/console/jobs/")).toEqual([third, second]);
    expect(await allPages("/console/jobs?limit=2", "/console/jobs/")).toEqual({
      ids: [third, second, first],
      pages: 2,
    });
  });

  it("shows one job with why it failed, and a 404 page for an unknown id", async () => {
    const [id] = await jobs(1);
    await env.DB.prepare(
      `UPDATE jobs SET status = 'failed', error = '{"code":"bad-file","message":"The file is not CSV."}' WHERE id = ?`,
    )
      .bind(id)
      .run();
    const html = await pageOf(await ui.get(`/console/jobs/${id}`));
    expect(html).toContain(`Job <code>${id}</code>`);
    expect(html).toContain('<span class="badge danger">failed</span>');
    expect(html).toContain("The file is not CSV.");
    expect(await pageOf(await ui.get("/console/jobs/job_nothing"), 404)).toContain("No job with id");
    expect(await pageOf(await ui.get("/console/jobs?status=lost"), 400)).toContain("<code>status</code>");
  });
});

describe("/console/mailbox", () => {
  it("lists messages newest first with the fact each was sent for, filters by recipient and pages", async () => {
    const t = Date.now() - 60_000;
    const ada = await insertMail({ sentAt: t, to: "ada@example.com", subject: "Welcome, Ada" });
    const bob = await insertMail({ sentAt: t + 1, to: "bob@example.com", subject: "Your order" });
    const html = await pageOf(await ui.get("/console/mailbox"));
    expect(linkedIds(html, "/console/events/")).toEqual([bob.eventId, ada.eventId]);
    expect(html).toContain("Welcome, Ada");
    const toAda = await pageOf(await ui.get("/console/mailbox?to=ADA%40example.com"));
    expect(linkedIds(toAda, "/console/events/")).toEqual([ada.eventId]);
    expect(await allPages("/console/mailbox?limit=1", "/console/events/")).toEqual({
      ids: [bob.eventId, ada.eventId],
      pages: 2,
    });
    expect(await pageOf(await ui.get(`/console/mailbox?to=${"a".repeat(400)}`), 400)).toContain(
      "<code>to</code>",
    );
  });
});

describe("/console/settlements", () => {
  const yesterday = () => new Date(dayOf(Date.now()).start - DAY).toISOString().slice(0, 10);

  it("runs a closed day's settlements from the form, audited like POST /ops/settlements/run", async () => {
    const day = yesterday();
    await env.DB.prepare(
      `INSERT INTO settlement_entries (order_id, merchant_id, kind, currency, amount_minor, occurred_at, event_id, settlement_id, recorded_at)
       VALUES (?, 'usr_console_merchant', 'sale', 'USD', 12345, ?, ?, NULL, ?)`,
    )
      .bind(newId("ord"), Date.parse(`${day}T12:00:00Z`), newId("evt"), Date.now())
      .run();
    const res = await ui.post("/console/settlements/run", { periodStart: day });
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location).toBe(`/console/settlements?done=${day}&opened=1&total=1`);
    const html = await pageOf(await ui.get(location));
    expect(html).toMatch(
      new RegExp(`role="status"[^>]*>Settlements for ${day} run: 1 opened now, 1 in that day.`),
    );
    expect(html).toContain("usr_console_merchant");
    expect(html).toContain(`<td>${day}</td>`);

    // Run again: nothing new opens.
    const again = await ui.post("/console/settlements/run", { periodStart: day });
    expect(again.headers.get("location")).toBe(`/console/settlements?done=${day}&opened=0&total=1`);

    const audit = await pageOf(await ui.get("/console/audit?action=settlements.run"));
    expect(audit.match(/<td>settlements\.run<\/td>/g)).toHaveLength(2);
    expect(audit).toContain(ui.admin.email);
    expect(audit).toContain("/console/settlements/run");
  });

  it("runs yesterday when no day is given", async () => {
    const res = await ui.post("/console/settlements/run", { periodStart: "" });
    expect(res.headers.get("location")).toBe(`/console/settlements?done=${yesterday()}&opened=0&total=0`);
  });

  it("refuses a day that has not ended (422) or does not exist (400) with a page saying why", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const open = await pageOf(await ui.post("/console/settlements/run", { periodStart: today }), 422);
    expect(open).toContain("has not ended yet");
    const bad = await pageOf(await ui.post("/console/settlements/run", { periodStart: "2026-02-30" }), 400);
    expect(bad).toContain("<code>periodStart</code>");
  });

  it("lists settlements newest period first and pages", async () => {
    const start = dayOf(Date.now()).start;
    const insert = env.DB.prepare(
      `INSERT INTO settlements (id, merchant_id, period_start, period_end, currency, status, gross_sales_minor, fees_minor, refunds_minor, payout_minor, created_at)
       VALUES (?, 'usr_m', ?, ?, 'USD', 'settled', 10000, 300, 0, 9700, ?)`,
    );
    await env.DB.batch(
      [1, 2, 3].map((d) => insert.bind(`stl_${d}`, start - d * DAY, start - (d - 1) * DAY, Date.now())),
    );
    const html = await pageOf(await ui.get("/console/settlements?limit=2"));
    expect(html).toContain("$97.00");
    const days = [...html.matchAll(/<td>(\d{4}-\d{2}-\d{2})<\/td>/g)].map((m) => m[1]);
    expect(days).toEqual([1, 2].map((d) => new Date(start - d * DAY).toISOString().slice(0, 10)));
    const next = await pageOf(await ui.get(nextPageOf(html)!));
    expect([...next.matchAll(/<td>(\d{4}-\d{2}-\d{2})<\/td>/g)].map((m) => m[1])).toEqual([
      new Date(start - 3 * DAY).toISOString().slice(0, 10),
    ]);
    expect(await pageOf(await ui.get("/console/settlements?cursor=nope"), 400)).toContain("malformed");
  });
});

describe("/console/gamedays", () => {
  const T0 = Date.parse("2026-12-05T10:00:00.000Z");
  const record = (id: string, minutes: number, verdict: string) =>
    postJson(
      "/ops/gamedays",
      {
        id,
        scenario: "consumer-failure",
        verdict,
        hypothesis: "If the email consumer fails for a minute, no email is lost or sent twice.",
        startedAt: new Date(T0 + minutes * 60_000).toISOString(),
        endedAt: new Date(T0 + (minutes + 3) * 60_000).toISOString(),
        checks: [
          { name: "duplicated effects", expected: "0", actual: "0", held: true },
          { name: "backlog drained within 60 s", expected: "≤ 60 s", actual: "72 s", held: false },
        ],
        totals: { lost: 0, duplicated: 0, unexpected: 1 },
        markdown: `# Game day ${id}\n`,
        reportPath: `gameday/reports/${id}/`,
      },
      ui.admin.auth,
    );

  it("lists runs newest first with verdicts, each linking its detail", async () => {
    expect((await record("gd-a", 0, "held")).status).toBe(201);
    expect((await record("gd-b", 10, "failed")).status).toBe(201);
    const html = await pageOf(await ui.get("/console/gamedays"));
    expect(linkedIds(html, "/console/gamedays/")).toEqual(["gd-b", "gd-a"]);
    expect(html).toContain('<span class="badge danger">failed</span>');
    const held = await pageOf(await ui.get("/console/gamedays?verdict=held"));
    expect(linkedIds(held, "/console/gamedays/")).toEqual(["gd-a"]);
    expect(await allPages("/console/gamedays?limit=1", "/console/gamedays/")).toEqual({
      ids: ["gd-b", "gd-a"],
      pages: 2,
    });

    const detail = await pageOf(await ui.get("/console/gamedays/gd-b"));
    expect(detail).toContain("Checks: 1 of 2 held");
    expect(detail).toContain("backlog drained within 60 s");
    expect(detail).toContain("# Game day gd-b");
    expect(await pageOf(await ui.get("/console/gamedays/gd-none"), 404)).toContain("No game-day run");
    expect(await pageOf(await ui.get("/console/gamedays?verdict=maybe"), 400)).toContain(
      "<code>verdict</code>",
    );
  });
});

describe("/console/costs", () => {
  it("shows the figures GET /ops/costs answers", async () => {
    const ops = (await (await call("/ops/costs", { headers: ui.admin.auth })).json()) as {
      backlog: { queue: string }[];
      today: { allowances: { item: string }[] };
    };
    const html = await pageOf(await ui.get("/console/costs"));
    expect(html).toContain("Flows, per million facts committed");
    expect(html).toContain("Consumers, per million deliveries acknowledged");
    for (const a of ops.today.allowances) expect(html).toContain(`<th scope="row">${a.item}</th>`);
  });

  it("answers a flow with nothing counted with a 422 page", async () => {
    const html = await pageOf(await ui.get("/console/costs?flow=nowhere"), 422);
    expect(html).toContain("No costs are counted for a flow named");
  });
});

describe("/console/audit", () => {
  it("filters by action and actor, and refuses an action name that is not one", async () => {
    await ui.post("/console/settlements/run", { periodStart: "" });
    const other = await consoleAdmin();
    await other.post("/console/settlements/run", { periodStart: "" });
    const all = await pageOf(await ui.get("/console/audit"));
    expect(all.match(/<td>settlements\.run<\/td>/g)).toHaveLength(2);
    const mine = await pageOf(await ui.get(`/console/audit?actor=${ui.admin.id}`));
    expect(mine.match(/<td>settlements\.run<\/td>/g)).toHaveLength(1);
    expect(mine).toContain(ui.admin.email);
    expect(mine).not.toContain(other.admin.email);
    const none = await pageOf(await ui.get("/console/audit?action=dead-letters.redrive"));
    expect(none).toContain("No actions match.");
    expect(await pageOf(await ui.get("/console/audit?action=NOT%20AN%20ACTION"), 400)).toContain(
      "<code>action</code>",
    );
  });
});
