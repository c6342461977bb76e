import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { deliveries, processedEvents } from "../../../src/platform/events/schema";
import { call } from "../../support/http";
import {
  clearOpsTables,
  insertAttempt,
  insertDeadLetter,
  insertOutboxEvent,
  userRegisteredV1,
} from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface Consumer {
  consumer: string;
  subscribed: boolean;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  attempts: Record<string, unknown>[];
  deadLetter: { id: string; status: string } | null;
  delivery: { state: string; resends: number } | null;
}
interface EventView {
  id: string;
  type: string;
  schemaVersion: number | null;
  createdAt: string;
  publishedAt: string | null;
  settledAt: string | null;
  envelope: unknown;
  consumers: Consumer[];
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const getEvent = (path: string) => call(path, { headers: admin.auth });

describe("GET /ops/events/:id", () => {
  it("shows the envelope, its times and each subscribed consumer's attempts, ack, dead letter and delivery", async () => {
    const T = Date.now() - 60_000;
    const event = userRegisteredV1({ correlationId: "req-event-1", time: T });
    await insertOutboxEvent(event, { createdAt: T, publishedAt: T + 5, settledAt: null });
    // user-stats got it at once; email failed twice, then it was dead-lettered and is still outstanding.
    const on = { eventId: event.id, eventType: event.type, correlationId: "req-event-1" };
    await insertAttempt({ ...on, consumer: "user-stats", startedAt: T + 12, lagMs: 7 });
    await insertAttempt({
      ...on,
      consumer: "email",
      attempt: 2,
      outcome: "dead-lettered",
      startedAt: T + 900,
    });
    await insertAttempt({
      ...on,
      consumer: "email",
      outcome: "retried",
      startedAt: T + 10,
      error: "provider said 500",
    });
    const db = getDb(env.DB);
    await db
      .insert(processedEvents)
      .values({ consumer: "user-stats", eventId: event.id, processedAt: T + 20 });
    const dl = await insertDeadLetter({ envelope: event, consumer: "email" });
    await db.insert(deliveries).values({
      id: `email/${event.id}`,
      consumer: "email",
      eventId: event.id,
      eventType: event.type,
      correlationId: "req-event-1",
      publishedAt: T + 5,
      state: "dead-lettered",
      resends: 2,
      checkedAt: T + 1000,
    });
    // Another event's history stays out.
    await insertAttempt({ consumer: "email", correlationId: "req-event-1" });

    const res = await getEvent(`/ops/events/${event.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as EventView;
    expect(body).toMatchObject({
      id: event.id,
      type: "user.registered",
      schemaVersion: 1,
      createdAt: new Date(T).toISOString(),
      publishedAt: new Date(T + 5).toISOString(),
      settledAt: null,
      envelope: event,
    });
    expect(body.consumers).toEqual([
      {
        consumer: "email",
        subscribed: true,
        acknowledged: false,
        acknowledgedAt: null,
        attempts: [
          // Insertion order is the order attempts were recorded; this one was recorded second.
          expect.objectContaining({ attempt: 2, outcome: "dead-lettered" }),
          {
            attempt: 1,
            outcome: "retried",
            startedAt: new Date(T + 10).toISOString(),
            durationMs: 5,
            lagMs: 20,
            error: "provider said 500",
          },
        ],
        deadLetter: { id: dl.id, status: "dead" },
        delivery: { state: "dead-lettered", resends: 2 },
      },
      {
        consumer: "user-stats",
        subscribed: true,
        acknowledged: true,
        acknowledgedAt: new Date(T + 20).toISOString(),
        attempts: [expect.objectContaining({ attempt: 1, outcome: "acked", lagMs: 7 })],
        deadLetter: null,
        delivery: null,
      },
    ]);
  });

  it("lists every subscribed consumer of an unpublished event, each with nothing yet", async () => {
    const event = userRegisteredV1();
    await insertOutboxEvent(event, { publishedAt: null });
    const body = (await (await getEvent(`/ops/events/${event.id}`)).json()) as EventView;
    expect(body.publishedAt).toBeNull();
    expect(body.consumers.map((c) => [c.consumer, c.acknowledged, c.attempts.length, c.delivery])).toEqual([
      ["email", false, 0, null],
      ["user-stats", false, 0, null],
    ]);
  });

  it("is where a trace's events link to", async () => {
    const event = userRegisteredV1({ correlationId: "req-linked" });
    await insertOutboxEvent(event);
    const trace = (await (await getEvent("/ops/traces/req-linked")).json()) as {
      timeline: { kind: string; href?: string }[];
    };
    const href = trace.timeline.find((e) => e.kind === "event")?.href;
    expect(href).toBe(`/ops/events/${event.id}`);
    const res = await getEvent(href ?? "");
    expect(res.status).toBe(200);
    expect(((await res.json()) as EventView).id).toBe(event.id);
  });

  it("answers a 404 problem for an unknown id", async () => {
    const res = await getEvent("/ops/events/evt_never_recorded");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });
});
