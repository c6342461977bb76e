import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AuthorizationRecord,
  type CaptureRecord,
  decideAuthorize,
  decideCapture,
  decideRefund,
  decideVoid,
  fingerprints,
  replayOrRun,
} from "../../../src/providers/payments/sandbox-rules";
import { authorizeRequest } from "./sandbox";

const authorization = (over: Partial<AuthorizationRecord> = {}): AuthorizationRecord => ({
  id: "auth_1",
  orderId: "ord_1",
  amount: 1000,
  currency: "USD",
  paymentMethod: "pm_card_visa",
  status: "authorized",
  ...over,
});

const capture: CaptureRecord = { id: "cap_1", authorizationId: "auth_1", amount: 1000, currency: "USD" };

describe("replayOrRun", () => {
  const stored = {
    operation: "capture",
    fingerprint: '["auth_1",1000]',
    outcome: { ok: true, value: "x" },
  } as const;

  it("runs a new key, replays the same request and refuses another request under the key", () => {
    expect(replayOrRun(null, "k", "capture", '["auth_1",1000]')).toEqual({ decision: "run" });
    expect(replayOrRun(stored, "k", "capture", '["auth_1",1000]')).toEqual({
      decision: "replay",
      outcome: stored.outcome,
    });
    expect(replayOrRun(stored, "k", "capture", '["auth_1",999]')).toMatchObject({
      decision: "refuse",
      outcome: { ok: false, kind: "rejected", code: "idempotency_key_reused" },
    });
    expect(replayOrRun(stored, "k", "refund", '["auth_1",1000]')).toMatchObject({
      decision: "refuse",
      outcome: { code: "idempotency_key_reused" },
    });
  });

  it("refuses an empty key", () => {
    expect(replayOrRun(null, "", "capture", "[]")).toMatchObject({
      decision: "refuse",
      outcome: { code: "invalid_request" },
    });
  });
});

describe("fingerprints", () => {
  it("ignore the key, extra fields and field order", () => {
    const req = authorizeRequest({ orderId: "ord_f" });
    const reordered = {
      paymentMethod: req.paymentMethod,
      currency: req.currency,
      amount: req.amount,
      orderId: "ord_f",
      idempotencyKey: "other",
      extra: 1,
    };
    expect(fingerprints.authorize(reordered)).toBe(fingerprints.authorize(req));
    expect(fingerprints.authorize({ ...req, amount: 1 })).not.toBe(fingerprints.authorize(req));
  });
});

describe("decideAuthorize", () => {
  it("authorizes a visa, declines pm_card_declined, leaves pm_card_timeout pending", () => {
    const ctx = { id: "auth_9", attempt: 1 };
    expect(decideAuthorize(authorizeRequest(), ctx).record?.status).toBe("authorized");
    expect(decideAuthorize(authorizeRequest({ paymentMethod: "pm_card_declined" }), ctx)).toMatchObject({
      record: { status: "declined" },
      outcome: { ok: false, kind: "declined", code: "card_declined" },
    });
    expect(decideAuthorize(authorizeRequest({ paymentMethod: "pm_card_timeout" }), ctx)).toMatchObject({
      record: { status: "pending" },
      outcome: { ok: false, kind: "no_answer" },
    });
  });

  it("fails pm_card_flaky transiently for the first two attempts, recording nothing", () => {
    const req = authorizeRequest({ paymentMethod: "pm_card_flaky" });
    const at = (attempt: number) => decideAuthorize(req, { id: "auth_9", attempt });
    expect(at(1)).toMatchObject({ record: null, outcome: { kind: "transient" } });
    expect(at(2)).toMatchObject({ record: null, outcome: { kind: "transient" } });
    expect(at(3)).toMatchObject({ record: { status: "authorized" }, outcome: { ok: true } });
  });

  it("refuses a malformed currency", () => {
    expect(
      decideAuthorize(authorizeRequest({ currency: "US" }), { id: "a", attempt: 1 }).outcome,
    ).toMatchObject({
      code: "invalid_currency",
    });
  });
});

describe("decideCapture", () => {
  const req = { idempotencyKey: "k", authorizationId: "auth_1", amount: 1000 };

  it("captures an authorization up to its amount, in its currency", () => {
    expect(decideCapture(authorization(), req, "cap_9")).toEqual({
      capture: { id: "cap_9", authorizationId: "auth_1", amount: 1000, currency: "USD" },
      outcome: {
        ok: true,
        value: { id: "cap_9", authorizationId: "auth_1", amount: 1000, currency: "USD", status: "captured" },
      },
    });
    expect(decideCapture(authorization(), { ...req, amount: 1001 }, "cap_9").outcome).toMatchObject({
      code: "amount_too_large",
    });
  });

  it("captures nothing that is not authorized", () => {
    for (const status of ["pending", "declined", "voided", "captured"] as const) {
      expect(decideCapture(authorization({ status }), req, "cap_9")).toMatchObject({
        capture: null,
        outcome: { kind: "rejected", code: `authorization_${status}` },
      });
    }
    expect(decideCapture(null, req, "cap_9").outcome).toMatchObject({ code: "not_found" });
  });
});

describe("decideVoid", () => {
  it("voids anything not captured, again and again; an unknown authorization is not_found", () => {
    for (const status of ["pending", "authorized", "declined", "voided"] as const) {
      expect(decideVoid(authorization({ status }), "auth_1")).toEqual({
        ok: true,
        value: { status: "voided", authorizationId: "auth_1" },
      });
    }
    expect(decideVoid(authorization({ status: "captured" }), "auth_1")).toMatchObject({
      code: "authorization_captured",
    });
    expect(decideVoid(null, "auth_x")).toEqual({
      ok: true,
      value: { status: "not_found", authorizationId: "auth_x" },
    });
  });
});

describe("decideRefund", () => {
  it("never refunds more than was captured, however the refunds are split", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 600 }), { maxLength: 12 }), (amounts) => {
        let refunded = 0;
        for (const [i, amount] of amounts.entries()) {
          const { refund } = decideRefund(
            capture,
            refunded,
            { idempotencyKey: `r${i}`, captureId: "cap_1", amount },
            `ref_${i}`,
          );
          if (refund) {
            expect(refund.amount).toBeGreaterThan(0);
            refunded += refund.amount;
          }
          expect(refunded).toBeLessThanOrEqual(capture.amount);
        }
      }),
    );
  });

  it("refuses a refund of an unknown capture", () => {
    expect(
      decideRefund(null, 0, { idempotencyKey: "r", captureId: "cap_x", amount: 1 }, "ref_1").outcome,
    ).toMatchObject({
      code: "not_found",
    });
  });
});
