import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type DeliveryFacts,
  type DeliveryPolicy,
  decideDelivery,
  quietPeriodMs,
} from "../../../../src/platform/events/deliveries";

const GRACE = 15_000;
const policy: DeliveryPolicy = {
  graceMs: GRACE,
  maxQuietMs: 3_600_000,
  maxResends: 3,
  retryDelayMs: (attempt) => 2_000 * 2 ** (attempt - 1),
};
const PUBLISHED = 1_000_000;

/** A queue's own figures: empty, or one message waiting since `oldestAt`. */
const EMPTY = { count: 0, bytes: 0, oldestAt: null };
const waiting = (oldestAt: number) => ({ count: 1, bytes: 512, oldestAt });

const facts = (over: Partial<DeliveryFacts> = {}): DeliveryFacts => ({
  consumer: "email",
  publishedAt: PUBLISHED,
  acked: false,
  deadLetter: null,
  lastAttempt: null,
  tracked: null,
  ...over,
});

describe("decideDelivery", () => {
  it("Given an acknowledged delivery, it is settled", () => {
    expect(decideDelivery(facts({ acked: true }), policy, PUBLISHED + 10 * GRACE)).toEqual({
      kind: "settled",
      by: "acked",
    });
  });

  it("Given a discarded dead letter, the delivery is settled", () => {
    const d = decideDelivery(
      facts({ deadLetter: { status: "discarded", redrivenAt: null } }),
      policy,
      PUBLISHED + GRACE,
    );
    expect(d).toEqual({ kind: "settled", by: "discarded" });
  });

  it("Given a waiting dead letter, it is outstanding and never re-sent", () => {
    const d = decideDelivery(
      facts({ deadLetter: { status: "dead", redrivenAt: null } }),
      policy,
      PUBLISHED + 100 * GRACE,
    );
    expect(d).toMatchObject({ kind: "outstanding", state: "dead-lettered", resend: false, dueAt: null });
  });

  it("Given no attempt yet, it is left alone during the grace period and re-sent after it", () => {
    expect(decideDelivery(facts(), policy, PUBLISHED + GRACE - 1)).toMatchObject({
      state: "queued",
      resend: false,
      dueAt: PUBLISHED + GRACE,
    });
    expect(decideDelivery(facts(), policy, PUBLISHED + GRACE)).toMatchObject({
      state: "queued",
      resend: true,
      resends: 1,
      dueAt: PUBLISHED + GRACE + 2 * GRACE,
    });
  });

  // A failure a game-day fault injected is a failed attempt like any other (outcome `injected`).
  it.each([
    ["retried", "boom"],
    ["injected", "injected: failure-rate fault (rate 1) (fault flt_1)"],
  ])(
    "Given a failed attempt (%s), it waits out the queue's retry delay before the grace starts",
    (outcome, error) => {
      const retried = facts({
        lastAttempt: { attempt: 3, outcome, startedAt: PUBLISHED + 5_000, error },
      });
      const quietFrom = PUBLISHED + 5_000 + 8_000;
      expect(decideDelivery(retried, policy, quietFrom + GRACE - 1)).toMatchObject({
        state: "retrying",
        resend: false,
        lastError: error,
      });
      expect(decideDelivery(retried, policy, quietFrom + GRACE)).toMatchObject({
        state: "retrying",
        resend: true,
      });
    },
  );

  it("Given a redrive, the grace runs from the redrive", () => {
    const redriven = facts({ deadLetter: { status: "redriven", redrivenAt: PUBLISHED + 60_000 } });
    expect(decideDelivery(redriven, policy, PUBLISHED + 60_000 + GRACE - 1)).toMatchObject({ resend: false });
    expect(decideDelivery(redriven, policy, PUBLISHED + 60_000 + GRACE)).toMatchObject({ resend: true });
  });

  it("Given the last re-send used up, it gives up: dead-lettered by the reconciler", () => {
    const tracked = { resends: 3, lastResentAt: PUBLISHED + 100_000 };
    const at = tracked.lastResentAt + quietPeriodMs(3, policy);
    expect(decideDelivery(facts({ tracked }), policy, at - 1)).toMatchObject({
      giveUp: false,
      resend: false,
    });
    expect(decideDelivery(facts({ tracked }), policy, at)).toMatchObject({
      state: "dead-lettered",
      giveUp: true,
      resend: false,
    });
  });

  describe("Given its queue says how far behind it is (queue.oldestAt)", () => {
    const due = PUBLISHED + GRACE;

    it("a due delivery behind an older waiting message is not re-sent, and is looked at again a grace later", () => {
      for (const oldest of [PUBLISHED - 60_000, PUBLISHED]) {
        expect(decideDelivery(facts({ queue: waiting(oldest) }), policy, due)).toEqual({
          kind: "outstanding",
          state: "queued",
          resend: false,
          giveUp: false,
          resends: 0,
          dueAt: due + GRACE,
          lastError: null,
          behind: true,
        });
      }
    });

    it("a queue that holds only newer messages has handed this one out: it was lost, and is re-sent", () => {
      expect(decideDelivery(facts({ queue: waiting(PUBLISHED + 1) }), policy, due)).toMatchObject({
        resend: true,
        resends: 1,
      });
      expect(decideDelivery(facts({ queue: EMPTY }), policy, due)).toMatchObject({ resend: true });
    });

    it("the grace runs from the last sign of life: a re-sent delivery behind messages older than its re-send waits", () => {
      const tracked = { resends: 1, lastResentAt: PUBLISHED + 100_000 };
      const at = tracked.lastResentAt + quietPeriodMs(1, policy);
      const behind = facts({ tracked, queue: waiting(PUBLISHED + 90_000) });
      expect(decideDelivery(behind, policy, at)).toMatchObject({ resend: false, behind: true });
      const lost = facts({ tracked, queue: waiting(PUBLISHED + 100_001) });
      expect(decideDelivery(lost, policy, at)).toMatchObject({ resend: true, resends: 2 });
    });

    it("is never dead-lettered while behind, however many re-sends it used", () => {
      const tracked = { resends: 3, lastResentAt: PUBLISHED + 100_000 };
      const at = tracked.lastResentAt + quietPeriodMs(3, policy);
      expect(decideDelivery(facts({ tracked, queue: waiting(PUBLISHED) }), policy, at)).toMatchObject({
        state: "queued",
        giveUp: false,
        resend: false,
        behind: true,
      });
    });

    it("waits at most maxQuietMs past its due time: a delivery lost while the queue stayed behind is still re-sent", () => {
      const stuck = facts({ queue: waiting(PUBLISHED - 1) });
      const last = due + policy.maxQuietMs - 1;
      expect(decideDelivery(stuck, policy, last)).toMatchObject({ resend: false, dueAt: last + 1 });
      expect(decideDelivery(stuck, policy, last + 1)).toMatchObject({ resend: true, resends: 1 });
    });
  });

  describe("Given a re-send and its queue's own figures (queue.count)", () => {
    const tracked = { resends: 2, lastResentAt: PUBLISHED + 100_000 };
    const lostAt = tracked.lastResentAt + GRACE;
    const doubledAt = tracked.lastResentAt + quietPeriodMs(2, policy);

    it("a re-send that nothing followed while the queue stands empty was lost: it goes again after the grace", () => {
      const lost = facts({ tracked, queue: EMPTY });
      expect(decideDelivery(lost, policy, lostAt - 1)).toMatchObject({ resend: false, dueAt: lostAt });
      expect(decideDelivery(lost, policy, lostAt)).toMatchObject({
        resend: true,
        resends: 3,
        dueAt: lostAt + GRACE,
      });
    });

    it("a queue that holds messages, or cannot say, may still hold the copy: the doubled quiet period stands", () => {
      for (const figures of [{ queue: waiting(PUBLISHED + 200_000) }, {}]) {
        const d = decideDelivery(facts({ tracked, ...figures }), policy, lostAt);
        expect(d).toMatchObject({ resend: false, dueAt: doubledAt });
        expect(decideDelivery(facts({ tracked, ...figures }), policy, doubledAt)).toMatchObject({
          resend: true,
        });
      }
    });

    it("a copy the consumer got (an attempt or a heartbeat after it) is slow, not lost: the quiet period doubles", () => {
      const since = tracked.lastResentAt + 1_000;
      const heartbeat = facts({ tracked: { ...tracked, heartbeatAt: since }, queue: EMPTY });
      expect(decideDelivery(heartbeat, policy, lostAt + 1_000)).toMatchObject({
        resend: false,
        dueAt: since + quietPeriodMs(2, policy),
      });
      const attempted = facts({
        tracked,
        queue: EMPTY,
        lastAttempt: { attempt: 1, outcome: "duplicate", startedAt: since, error: null },
      });
      expect(decideDelivery(attempted, policy, lostAt + 1_000)).toMatchObject({ resend: false });
    });

    it("after a re-send it looks again a grace later where the queue answers, else after the doubled period", () => {
      const first = PUBLISHED + GRACE;
      for (const queue of [EMPTY, waiting(PUBLISHED + 200_000)]) {
        expect(decideDelivery(facts({ queue }), policy, first)).toMatchObject({
          resend: true,
          dueAt: first + GRACE,
        });
      }
      expect(decideDelivery(facts(), policy, first)).toMatchObject({ dueAt: first + 2 * GRACE });
    });

    it("lost re-sends still count towards the limit: the last one used up, it gives up", () => {
      const spent = facts({ tracked: { ...tracked, resends: policy.maxResends }, queue: EMPTY });
      expect(decideDelivery(spent, policy, lostAt)).toMatchObject({ state: "dead-lettered", giveUp: true });
    });
  });

  it("never re-sends inside the quiet period, and the quiet period doubles up to its cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (resends, elapsed) => {
          const lastResentAt = resends === 0 ? null : PUBLISHED + 1_000;
          const tracked = { resends, lastResentAt };
          const from = lastResentAt ?? PUBLISHED;
          const d = decideDelivery(facts({ tracked }), { ...policy, maxResends: 100 }, from + elapsed);
          if (d.kind !== "outstanding") return false;
          const quiet = quietPeriodMs(resends, policy);
          expect(quiet).toBeLessThanOrEqual(policy.maxQuietMs);
          expect(quiet).toBe(Math.min(policy.maxQuietMs, GRACE * 2 ** resends));
          return d.resend === elapsed >= quiet;
        },
      ),
    );
  });
});
