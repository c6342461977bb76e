import { beforeEach, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import {
  clearOpsTables,
  followUpOf,
  insertAttempt,
  insertDeadLetter,
  insertOutboxEvent,
  insertRequestRecord,
  userRegisteredV1,
} from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface Trace {
  correlationId: string;
  request: { requestId: string; method: string; path: string; userId: string | null; at: string } | null;
  timeline: ({ kind: string; at: string } & Record<string, unknown>)[];
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const trace = (id: string) => call(`/ops/traces/${id}`, { headers: admin.auth });

describe("GET /ops/traces/:correlationId", () => {
  it("puts the request, its events, events caused by events and every attempt in time order", async () => {
    const T = Date.now() - 60_000;
    const req = "req-trace-1";
    await insertRequestRecord(req, T, "usr_ada");
    const registered = userRegisteredV1({ correlationId: req, time: T });
    await insertOutboxEvent(registered, { createdAt: T, publishedAt: T + 5 });
    // A later event in the same chain, caused by the first (as a consumer would record it).
    const followUp = followUpOf(registered, T + 2001, "evt_followup");
    await insertOutboxEvent(followUp, { createdAt: T + 2001, publishedAt: null });

    const on = { correlationId: req, eventType: "user.registered" };
    await insertAttempt({
      ...on,
      eventId: registered.id,
      consumer: "email",
      startedAt: T + 2000,
      attempt: 2,
    });
    await insertAttempt({
      ...on,
      eventId: registered.id,
      consumer: "email",
      startedAt: T + 10,
      outcome: "retried",
      error: "provider said 500",
    });
    await insertAttempt({
      ...on,
      eventId: registered.id,
      consumer: "user-stats",
      startedAt: T + 12,
      lagMs: 12,
    });
    await insertAttempt({
      ...on,
      eventId: followUp.id,
      consumer: "email",
      startedAt: T + 3000,
      outcome: "dead-lettered",
    });
    const dl = await insertDeadLetter({ envelope: followUp, consumer: "email" });
    // Someone else's chain stays out.
    await insertAttempt({ correlationId: "req-other", startedAt: T + 1 });

    const res = await trace(req);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Trace;
    expect(body.correlationId).toBe(req);
    expect(body.request).toEqual({
      requestId: req,
      method: "POST",
      path: "/v1/auth/signup",
      userId: "usr_ada",
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      at: new Date(T).toISOString(),
    });
    expect(body.timeline.map((e) => [e.kind, e.at])).toEqual([
      ["request", new Date(T).toISOString()],
      ["event", new Date(T).toISOString()],
      ["attempt", new Date(T + 10).toISOString()],
      ["attempt", new Date(T + 12).toISOString()],
      ["attempt", new Date(T + 2000).toISOString()],
      ["event", new Date(T + 2001).toISOString()],
      ["attempt", new Date(T + 3000).toISOString()],
    ]);
    expect(body.timeline[1]).toEqual({
      kind: "event",
      at: new Date(T).toISOString(),
      id: registered.id,
      type: "user.registered",
      subject: registered.subject,
      causationId: req,
      createdAt: new Date(T).toISOString(),
      publishedAt: new Date(T + 5).toISOString(),
      href: `/ops/events/${registered.id}`,
    });
    expect(body.timeline[2]).toEqual({
      kind: "attempt",
      at: new Date(T + 10).toISOString(),
      consumer: "email",
      eventId: registered.id,
      eventType: "user.registered",
      attempt: 1,
      outcome: "retried",
      durationMs: 5,
      lagMs: 20,
      error: "provider said 500",
      deadLetterId: null,
    });
    expect(body.timeline[5]).toMatchObject({
      id: followUp.id,
      causationId: registered.id,
      publishedAt: null,
    });
    expect(body.timeline[6]).toMatchObject({ outcome: "dead-lettered", deadLetterId: dl.id });
  });

  it("traces a chain that no request started, with request null", async () => {
    const alertEvent = userRegisteredV1({ correlationId: "alr_123" });
    await insertOutboxEvent(alertEvent);
    const body = (await (await trace("alr_123")).json()) as Trace;
    expect(body.request).toBeNull();
    expect(body.timeline.map((e) => e.kind)).toEqual(["event"]);
  });

  it("answers 404 when nothing is recorded under the id", async () => {
    const res = await trace("req-never-seen");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });
});
