import { beforeAll, describe, expect, it } from "vitest";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import {
  followUpOf,
  insertAttempt,
  insertDeadLetter,
  insertOutboxEvent,
  insertRequestRecord,
  userRegisteredV1,
} from "../../support/ops";

let operator: ConsoleAdmin;
beforeAll(async () => {
  operator = await consoleAdmin();
});

/** The waterfall's rows, top to bottom, as the text of their "What" cell. */
const rows = (html: string) =>
  [...html.matchAll(/<tr><td class="num">\+[^<]*<\/td><td>(.*?)<\/td>/g)].map((m) =>
    (m[1] ?? "").replace(/<[^>]+>/g, ""),
  );

describe("GET /console/traces/:id", () => {
  it("draws the request, its facts and every consumer attempt as a waterfall, each fact linked to its envelope", async () => {
    const T = Date.now() - 60_000;
    const req = `req-console-${crypto.randomUUID()}`;
    await insertRequestRecord(req, T, "usr_ada");
    const registered = userRegisteredV1({ correlationId: req, time: T });
    await insertOutboxEvent(registered, { createdAt: T, publishedAt: T + 40 });
    const followUp = followUpOf(registered, T + 2000);
    await insertOutboxEvent(followUp, { createdAt: T + 2000, publishedAt: null });
    const on = { correlationId: req, eventType: "user.registered" };
    await insertAttempt({
      ...on,
      eventId: registered.id,
      consumer: "email",
      startedAt: T + 100,
      lagMs: 100,
      durationMs: 250,
      outcome: "retried",
      error: "provider said 500",
    });
    await insertAttempt({
      ...on,
      eventId: registered.id,
      consumer: "email",
      startedAt: T + 1500,
      lagMs: 1500,
      durationMs: 30,
      attempt: 2,
    });
    await insertAttempt({
      ...on,
      eventId: followUp.id,
      consumer: "user-stats",
      startedAt: T + 3000,
      lagMs: 1000,
      durationMs: 12,
      outcome: "dead-lettered",
    });
    const dl = await insertDeadLetter({ envelope: followUp, consumer: "user-stats" });

    const res = await operator.get(`/console/traces/${req}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>Trace <code>${req}</code></h1>`);
    expect(html).toContain("<code>POST /v1/auth/signup</code>");
    expect(rows(html)).toEqual([
      "Request POST /v1/auth/signup",
      `Fact user.registered ${registered.id}`,
      "email handles user.registered, attempt 1 retriedprovider said 500",
      "email handles user.registered, attempt 2 acked",
      `Fact user.registered ${followUp.id} in the outbox`,
      "user-stats handles user.registered, attempt 1 dead-lettered dead letter",
    ]);
    expect(html).toContain(`href="/console/events/${registered.id}"`);
    expect(html).toContain(`href="/console/events/${followUp.id}"`);
    expect(html).toContain(`href="/console/dead-letters/${dl.id}"`);
    // Offsets, lag and duration as figures; the bars only draw them, on a 3.012 s span.
    expect(html).toContain("+1.5 s");
    expect(html).toContain('<td class="num">250 ms</td>');
    expect(html).toContain("40 ms to publish");
    expect(html).toContain("Waterfall over 3.0 s");
    expect(html).toMatch(/class="waterfall-bar" style="left:[\d.]+%;width:[\d.]+%"/);
    expect(html).toContain("2 not acknowledged");
  });

  it("traces a chain no request started", async () => {
    const alertId = `alr_console_${crypto.randomUUID()}`;
    await insertOutboxEvent(userRegisteredV1({ correlationId: alertId }));
    const html = await (await operator.get(`/console/traces/${alertId}`)).text();
    expect(html).toContain("no request: a chain started by the system");
    expect(rows(html)).toHaveLength(1);
  });

  it("answers a 404 page when nothing is recorded under the id", async () => {
    const res = await operator.get("/console/traces/req-never-seen-anywhere");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("<h1>No such trace</h1>");
  });
});
