import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { dedupKey } from "../../../src/platform/events/dedup-client";
import { anEnvelopeAt, anEvent, aRegistration, attemptsOf, mailboxRows } from "../../support/events";
import { deliver } from "../../support/queues";
import { anOrder, aProduct } from "../../support/saga-orders";

const QUEUE = "crossdock-email";

/**
 * Mocks only the email provider's HTTP API (the one call that leaves the system); every other fetch
 * goes through untouched. Returns the mock to inspect the calls.
 */
function mockEmailApi(answer: () => Response) {
  const realFetch = globalThis.fetch;
  const calls: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (request.url !== env.EMAIL_API_URL) return realFetch(input, init);
    calls.push(request);
    return answer();
  });
  return calls;
}

afterEach(() => vi.restoreAllMocks());

describe("email consumer", () => {
  it("sends a welcome email to a new user, into the local mailbox", async () => {
    const event = aRegistration({ name: "Ada", role: "buyer" });
    const result = await deliver(QUEUE, [{ body: event, id: "m1" }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
    const [mail] = await mailboxRows({ eventId: event.id });
    expect(mail).toMatchObject({
      to: event.data.email,
      template: "welcome",
      subject: "Welcome to Crossdock, Ada",
    });
    expect(await attemptsOf(event.id)).toEqual([{ attempt: 1, outcome: "acked", error: null }]);
  });

  it("given the same event twice in one batch, then it sends one email and acks both", async () => {
    const event = aRegistration();
    const result = await deliver(QUEUE, [
      { body: event, id: "a" },
      { body: event, id: "b" },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["a", "b"]);
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(1);
    expect((await attemptsOf(event.id)).map((a) => a.outcome).sort()).toEqual(["acked", "duplicate"]);
  });

  it("given the same event again in a later batch, then it sends nothing more", async () => {
    const event = aRegistration();
    await deliver(QUEUE, [{ body: event }]);
    const again = await deliver(QUEUE, [{ body: event, id: "redelivered" }]);
    expect(again.explicitAcks).toEqual(["redelivered"]);
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(1);
    expect((await attemptsOf(event.id)).map((a) => a.outcome)).toEqual(["acked", "duplicate"]);
  });

  it("given a v1 user.registered, then it is upcast and the welcome uses the v1 displayName", async () => {
    const v1 = anEnvelopeAt("user.registered", 1, {
      userId: "usr_v1",
      email: `v1-${crypto.randomUUID()}@example.com`,
      displayName: "Old Timer",
    });
    const result = await deliver(QUEUE, [{ body: v1, id: "v1" }]);
    expect(result.explicitAcks).toEqual(["v1"]);
    const [mail] = await mailboxRows({ eventId: v1.id });
    expect(mail?.subject).toBe("Welcome to Crossdock, Old Timer");
    expect(mail?.text).toContain("buyer account");
  });

  it("emails a raised alert to every address in OPS_ALERT_EMAILS, one idempotency key each", async () => {
    const alert = anEvent("ops.alert.raised", {
      alertId: "alr_test",
      rule: "dead-letters-count",
      metric: "dead_letters.count",
      value: 5,
      threshold: 1,
      message: "dead_letters.count is 5, above the threshold of 1 (rule dead-letters-count).",
    });
    const result = await deliver(QUEUE, [{ body: alert, id: "al" }], {
      OPS_ALERT_EMAILS: " oncall@example.com, lead@example.com ,",
    });
    expect(result.explicitAcks).toEqual(["al"]);
    const mails = await mailboxRows({ eventId: alert.id });
    expect(mails.map((m) => m.to).sort()).toEqual(["lead@example.com", "oncall@example.com"]);
    expect(new Set(mails.map((m) => m.id)).size).toBe(2);
    expect(
      mails.every((m) => m.template === "ops-alert" && m.subject === "[Crossdock alert] dead-letters-count"),
    ).toBe(true);
  });

  it("emails the buyer an order confirmation with the product titles and total, once", async () => {
    const product = await aProduct(5, 1250);
    const order = await anOrder(product, { quantity: 2 });
    const { paymentMethod: _, ...summary } = order;
    const confirmed = anEvent("order.confirmed", summary);
    await deliver(QUEUE, [{ body: confirmed }]);
    await deliver(QUEUE, [{ body: confirmed }]);
    const mails = await mailboxRows({ eventId: confirmed.id });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: `${order.buyerId}@test.crossdock`, template: "order-confirmed" });
    expect(mails[0]?.text).toContain("2 × Blue mug — $25.00");
    expect(mails[0]?.text).toContain("Total: $25.00");
  });

  it("emails the buyer a cancellation notice with the reason they can read", async () => {
    const order = await anOrder(await aProduct(5));
    const { paymentMethod: _, ...summary } = order;
    const cancelled = anEvent("order.cancelled", {
      ...summary,
      reason: { code: "out-of-stock", message: "an item is out of stock" },
    });
    await deliver(QUEUE, [{ body: cancelled }]);
    const [mail] = await mailboxRows({ eventId: cancelled.id });
    expect(mail).toMatchObject({
      template: "order-cancelled",
      subject: `Your Crossdock order ${order.orderId} was cancelled`,
    });
    expect(mail?.text).toContain("Your order was cancelled: an item is out of stock.");
  });

  it("given a poison message (data invalid for its schema), then it is dead-lettered on the first attempt and acked", async () => {
    const poison = anEnvelopeAt("user.registered", 2, {
      userId: "usr_x",
      email: "not-an-email",
      name: "X",
      role: "buyer",
    });
    const result = await deliver(QUEUE, [{ body: poison, id: "p", attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["p"]);
    expect(result.retryMessages).toEqual([]);
    const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE event_id = ?").bind(poison.id).first();
    expect(row).toMatchObject({
      origin_queue: QUEUE,
      consumer: "email",
      event_type: "user.registered",
      attempts: 1,
      status: "dead",
      last_error: expect.stringContaining("invalid at 'email'"),
    });
    expect(JSON.parse(row!.envelope as string)).toEqual(poison);
    expect(await mailboxRows({ eventId: poison.id })).toEqual([]);
  });

  describe("with the HTTP provider", () => {
    const http = { EMAIL_PROVIDER: "http", EMAIL_API_KEY: "test-key" } as const;

    it("sends through the provider's API with the event id as the idempotency key", async () => {
      const calls = mockEmailApi(() => Response.json({ id: "prov_1" }, { status: 202 }));
      const event = aRegistration();
      const result = await deliver(QUEUE, [{ body: event, id: "h" }], http);
      expect(result.explicitAcks).toEqual(["h"]);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.headers.get("idempotency-key")).toBe(`${event.id}:0`);
      expect(calls[0]!.headers.get("authorization")).toBe("Bearer test-key");
      expect(await calls[0]!.json()).toMatchObject({ to: event.data.email, tags: { template: "welcome" } });
    });

    it("given the provider fails, then the message is retried with a delay and the key released, so the retry sends", async () => {
      let status = 500;
      const calls = mockEmailApi(() => new Response("boom", { status }));
      const event = aRegistration();

      const first = await deliver(QUEUE, [{ body: event, id: "r", attempts: 1 }], http);
      expect(first.explicitAcks).toEqual([]);
      expect(first.retryMessages).toEqual([{ msgId: "r", delaySeconds: expect.any(Number) }]);
      expect(first.retryMessages[0]!.delaySeconds).toBeGreaterThan(0);
      // Released, not left in flight: a claim right now succeeds.
      const claim = await dedupKey(env, "email", event.id).claim({
        leaseMs: 1,
        ttlMs: 60_000,
        now: Date.now(),
      });
      expect(claim).toMatchObject({ outcome: "claimed", reclaimed: false });
      if (claim.outcome !== "claimed") throw new Error("expected a claim");
      await dedupKey(env, "email", event.id).release(claim.record.leaseUntil);

      status = 200;
      const retry = await deliver(QUEUE, [{ body: event, id: "r", attempts: 2 }], http);
      expect(retry.explicitAcks).toEqual(["r"]);
      expect(calls).toHaveLength(2);
      expect(calls.map((c) => c.headers.get("idempotency-key"))).toEqual([`${event.id}:0`, `${event.id}:0`]);
      expect((await attemptsOf(event.id)).map((a) => [a.attempt, a.outcome])).toEqual([
        [1, "retried"],
        [2, "acked"],
      ]);
    });

    it("given the provider keeps failing, then retries run out and the DLQ consumer stores the message", async () => {
      mockEmailApi(() => new Response("provider down", { status: 503 }));
      const event = aRegistration();
      for (const attempts of [1, 2, 3]) {
        const r = await deliver(QUEUE, [{ body: event, id: "d", attempts }], http);
        expect(r.retryMessages).toHaveLength(1);
        // Exponential backoff: each retry waits at least half of 2^attempt seconds.
        expect(r.retryMessages[0]!.delaySeconds).toBeGreaterThanOrEqual(2 ** attempts / 2);
      }

      // Queues moves the message to crossdock-email-dlq after max_retries; its attempt count restarts there.
      const dead = await deliver("crossdock-email-dlq", [{ body: event, id: "d", attempts: 1 }]);
      expect(dead.explicitAcks).toEqual(["d"]);

      const row = await env.DB.prepare("SELECT * FROM dead_letters WHERE event_id = ?").bind(event.id).first<{
        origin_queue: string;
        consumer: string;
        envelope: string;
        last_error: string;
        attempts: number;
        first_failed_at: number;
        last_failed_at: number;
        size_bytes: number;
        status: string;
      }>();
      expect(row).toMatchObject({ origin_queue: QUEUE, consumer: "email", attempts: 3, status: "dead" });
      expect(row!.last_error).toContain("email provider answered 503");
      expect(JSON.parse(row!.envelope)).toEqual(event);
      expect(row!.size_bytes).toBe(new TextEncoder().encode(JSON.stringify(event)).byteLength);
      expect(row!.first_failed_at).toBeLessThanOrEqual(row!.last_failed_at);
      expect(await mailboxRows({ eventId: event.id })).toEqual([]);
    });
  });
});
