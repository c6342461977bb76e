import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { anEnvelopeAt, aRegistration, statsCount } from "../../support/events";
import { deliver } from "../../support/queues";

const QUEUE = "crossdock-user-stats";
/** Each test counts on its own past day, so counts never mix. */
const dayAt = (day: string, time = "12:00:00") => Date.parse(`${day}T${time}Z`);

describe("user-stats consumer", () => {
  it("counts a sign-up on the UTC day of the event and the user's role", async () => {
    const result = await deliver(QUEUE, [
      { body: aRegistration({ role: "merchant" }, dayAt("2001-01-01", "23:59:59")), id: "a" },
      { body: aRegistration({ role: "buyer" }, dayAt("2001-01-01", "00:00:00")), id: "b" },
      { body: aRegistration({ role: "buyer" }, dayAt("2001-01-01", "08:00:00")), id: "c" },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["a", "b", "c"]);
    expect(await statsCount("2001-01-01", "merchant")).toBe(1);
    expect(await statsCount("2001-01-01", "buyer")).toBe(2);
    expect(await statsCount("2001-01-02", "merchant")).toBe(0);
  });

  it("given the same event twice in one batch, then it counts once", async () => {
    const event = aRegistration({ role: "buyer" }, dayAt("2001-02-01"));
    const result = await deliver(QUEUE, [
      { body: event, id: "a" },
      { body: event, id: "b" },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["a", "b"]);
    expect(await statsCount("2001-02-01", "buyer")).toBe(1);
  });

  it("given the same event in two batches, then the second finds the processed_events row and counts nothing", async () => {
    const event = aRegistration({ role: "buyer" }, dayAt("2001-03-01"));
    await deliver(QUEUE, [{ body: event }]);
    const again = await deliver(QUEUE, [{ body: event, id: "again" }]);
    expect(again.explicitAcks).toEqual(["again"]);
    expect(await statsCount("2001-03-01", "buyer")).toBe(1);
    const outcomes = await env.DB.prepare(
      "SELECT outcome FROM consumer_attempts WHERE consumer = 'user-stats' AND event_id = ? ORDER BY id",
    )
      .bind(event.id)
      .all<{ outcome: string }>();
    expect(outcomes.results.map((r) => r.outcome)).toEqual(["acked", "duplicate"]);
  });

  it("given a full batch of 100 (max_batch_size), then it counts each once and skips those already done", async () => {
    // D1 binds at most 100 parameters per statement: the dedup query must not bind one per message.
    const events = Array.from({ length: 100 }, () =>
      aRegistration({ role: "merchant" }, dayAt("2001-06-01")),
    );
    await deliver(QUEUE, [{ body: events[0] }]);
    const result = await deliver(
      QUEUE,
      events.map((body, i) => ({ body, id: `m${i}` })),
    );
    expect(result.explicitAcks).toHaveLength(100);
    expect(result.retryMessages).toEqual([]);
    expect(await statsCount("2001-06-01", "merchant")).toBe(100);
  });

  it("given a v1 event, then it counts the upcast role (buyer)", async () => {
    const v1 = anEnvelopeAt(
      "user.registered",
      1,
      { userId: "usr_v1", email: "v1@example.com", displayName: "V" },
      dayAt("2001-04-01"),
    );
    await deliver(QUEUE, [{ body: v1 }]);
    expect(await statsCount("2001-04-01", "buyer")).toBe(1);
  });

  it("given a poison message among good ones, then it dead-letters it and still counts the rest", async () => {
    const good = aRegistration({ role: "merchant" }, dayAt("2001-05-01"));
    const result = await deliver(QUEUE, [
      { body: good, id: "good" },
      { body: { not: "an event" }, id: "poison" },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["good", "poison"]);
    expect(result.retryMessages).toEqual([]);
    expect(await statsCount("2001-05-01", "merchant")).toBe(1);
    const dead = await env.DB.prepare(
      "SELECT origin_queue, event_type, last_error FROM dead_letters WHERE consumer = 'user-stats' AND envelope = ?",
    )
      .bind(JSON.stringify({ not: "an event" }))
      .first();
    expect(dead).toEqual({
      origin_queue: QUEUE,
      event_type: "unknown",
      last_error: "envelope field 'specversion' is missing",
    });
  });
});
