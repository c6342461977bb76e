import { beforeEach, describe, expect, it } from "vitest";
import { createEnvelope } from "../../../src/platform/events/envelope";
import { newId } from "../../../src/platform/ids";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import { linkedIds, nextPageOf, pageOf } from "../../support/console-records";
import { call } from "../../support/http";
import { clearOpsTables, insertAttempt, insertOutboxEvent, userRegisteredV1 } from "../../support/ops";

let ui: ConsoleAdmin;
beforeEach(async () => {
  await clearOpsTables();
  ui = await consoleAdmin();
});

/** v1 `user.registered` facts created `ago` ms back each, oldest first; their ids follow their times. */
async function facts(...agos: number[]) {
  const now = Date.now();
  const made: ReturnType<typeof userRegisteredV1>[] = [];
  for (const ago of agos) {
    const time = now - ago;
    const event = userRegisteredV1({ id: newId("evt", time), time, correlationId: `req-${ago}` });
    await insertOutboxEvent(event, { createdAt: time });
    made.push(event);
  }
  return made;
}

describe("/console/events", () => {
  it("lists facts newest first with their type, subject, correlation id and delivery state", async () => {
    const [older, newer] = await facts(60_000, 30_000);
    const html = await pageOf(await ui.get("/console/events"));
    expect(html).toContain("<h1>Events</h1>");
    expect(linkedIds(html, "/console/events/")).toEqual([newer!.id, older!.id]);
    expect(html).toContain(newer!.subject);
    expect(html).toContain("req-30000");
    expect(html).toContain('<span class="badge ok">settled</span>');
    expect(html).toContain('aria-current="page"');
  });

  it("pages through every fact once, newest first, with the filters kept", async () => {
    const made = await facts(50_000, 40_000, 30_000, 20_000, 10_000);
    const seen: string[] = [];
    let path: string | null = "/console/events?type=user.registered&limit=2";
    let pages = 0;
    while (path !== null) {
      const html = await pageOf(await ui.get(path));
      seen.push(...linkedIds(html, "/console/events/"));
      path = nextPageOf(html);
      if (path !== null) expect(path).toContain("type=user.registered");
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(made.map((e) => e.id).reverse());
  });

  it("filters by type and by creation time", async () => {
    const [older, newer] = await facts(3_600_000, 60_000);
    const none = await pageOf(await ui.get("/console/events?type=order.placed"));
    expect(linkedIds(none, "/console/events/")).toEqual([]);
    expect(none).toContain("No events match.");
    const before = new Date(Date.now() - 600_000).toISOString().slice(0, 19);
    const old = await pageOf(await ui.get(`/console/events?before=${before}&type=`));
    expect(linkedIds(old, "/console/events/")).toEqual([older!.id]);
    expect(newer).toBeDefined();
  });

  it.each([
    ["an unknown type", "?type=user.deleted", "type"],
    ["a time that is not one", "?before=yesterday", "before"],
    ["a page size over 100", "?limit=1000", "limit"],
    ["an unknown parameter", "?sort=asc", "sort"],
  ])("answers %s with a 400 page naming the field", async (_name, query, field) => {
    const html = await pageOf(await ui.get(`/console/events${query}`), 400);
    expect(html).toContain('role="alert"');
    expect(html).toContain(`<code>${field}</code>`);
    expect(html).toContain('href="/console/events"');
  });

  it("answers a malformed cursor, or one from other filters, with a 400 page", async () => {
    await facts(30_000, 20_000, 10_000);
    const bad = await pageOf(await ui.get("/console/events?cursor=not-a-cursor"), 400);
    expect(bad).toContain("The cursor is malformed.");
    const first = await pageOf(await ui.get("/console/events?limit=1"));
    const next = nextPageOf(first)!;
    const foreign = next.replace("limit=1", "limit=1&type=order.placed");
    expect(await pageOf(await ui.get(foreign), 400)).toContain("different query");
  });

  it("sends a signed-out visitor to the sign-in form, and back afterwards", async () => {
    const res = await call("/console/events?type=user.registered", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/console/login?next=${encodeURIComponent("/console/events?type=user.registered")}`,
    );
  });
});

describe("/console/events/:id", () => {
  it("shows the envelope, the payload, how it was upcast and who consumed it when", async () => {
    const [event] = await facts(60_000);
    const on = { eventId: event!.id, eventType: event!.type, correlationId: event!.correlationid };
    await insertAttempt({ ...on, consumer: "email", outcome: "retried", error: "provider said 503" });
    await insertAttempt({ ...on, consumer: "email", attempt: 2, outcome: "acked" });
    const html = await pageOf(await ui.get(`/console/events/${event!.id}`));
    expect(html).toContain(`Event <code>${event!.id}</code>`);
    expect(html).toContain("user.registered v1 as stored");
    // The payload as written (displayName), then v2 as consumers receive it (name, role buyer).
    expect(html).toContain("v1, as written");
    expect(html).toContain("v2, after the upcaster from v1 (what consumers receive)");
    expect(html).toContain("&quot;displayName&quot;: &quot;Ada&quot;");
    expect(html).toContain("&quot;role&quot;: &quot;buyer&quot;");
    expect(html).toContain("provider said 503");
    expect(html).toMatch(/<th scope="row">email<\/th>/);
    expect(html).toMatch(/<th scope="row">user-stats<\/th>/);
    expect(html).toContain("The stored CloudEvents envelope");
  });

  it("says so when the stored payload is already current", async () => {
    const current = createEnvelope({
      id: newId("evt"),
      time: new Date(),
      source: "/crossdock/api",
      type: "user.registered",
      version: 2,
      subject: "usr_ada",
      data: { userId: "usr_ada", email: "ada@example.com", name: "Ada", role: "merchant" },
      causation: { correlationId: "req-ada", causationId: "req-ada", traceparent: "00-aa-bb-01" },
    });
    await insertOutboxEvent(current);
    const html = await pageOf(await ui.get(`/console/events/${current.id}`));
    expect(html).toContain("Stored at the current version, v2: consumers read it as written.");
  });

  it("answers an unknown id with a 404 page", async () => {
    const html = await pageOf(await ui.get("/console/events/evt_nothing"), 404);
    expect(html).toContain("No event with id &#39;evt_nothing&#39;.");
  });
});
