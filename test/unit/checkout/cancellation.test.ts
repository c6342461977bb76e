import { describe, expect, it } from "vitest";
import { alarmAt, isTerminal, statusMessage } from "../../../src/flows/checkout";
import {
  alarm,
  BUYER,
  cancelRequested,
  fails,
  given,
  MERCHANT,
  POLICY,
  placed,
  succeeds,
  UNTIL,
} from "./saga-scenario";

describe("checkout saga: a step fails before confirmation", () => {
  it("an item out of stock cancels at once: nothing was held, so nothing to undo", () => {
    const o = given(...UNTIL.reserving)
      .when(fails("permanent", "out-of-stock"))
      .thenExpect({
        events: ["saga.step_failed", "order.cancellation_started", "order.cancelled"],
        commands: [],
      });
    expect(o.event("order.cancelled").data.reason).toEqual({
      code: "out-of-stock",
      message: "an item is out of stock",
    });
    expect(statusMessage(o.state)).toBe(
      "Your order was cancelled: an item is out of stock. You have not been charged.",
    );
    expect(isTerminal(o.state)).toBe(true);
  });

  it("a declined card releases the reservation (there is no authorization to void), then cancels", () => {
    const declined = given(...UNTIL.authorizing)
      .when(fails("permanent", "card-declined"))
      .thenExpect({
        events: ["saga.step_failed", "order.cancellation_started", "saga.step_started"],
        commands: ["ReleaseInventory"],
      });
    expect(declined.command("ReleaseInventory")).toMatchObject({
      idempotencyKey: "ord_1:release",
      reservationConfirmed: true,
      lines: declined.state.lines,
    });
    expect(declined.state.status).toBe("cancelling");
    expect(statusMessage(declined.state)).toBe("We're cancelling your order: your card was declined");

    const released = declined
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"], commands: [] });
    expect(released.event("order.cancelled").data).toMatchObject({
      orderId: "ord_1",
      amount: 3750,
      reason: { code: "payment-declined", message: "your card was declined" },
    });
    expect(statusMessage(released.state)).toBe(
      "Your order was cancelled: your card was declined. You have not been charged.",
    );
    expect(released.state.steps.find((s) => s.name === "authorize-payment")?.status).toBe("failed");
  });

  it("an authorization that does not answer in time is voided by the order's key, then the items released", () => {
    const timedOut = given(...UNTIL.authorizing)
      .when(alarm())
      .thenExpect({
        events: [
          "saga.step_failed",
          "saga.compensation_recorded",
          "order.cancellation_started",
          "saga.step_started",
        ],
        commands: ["VoidAuthorization"],
      });
    expect(timedOut.command("VoidAuthorization")).toMatchObject({
      idempotencyKey: "ord_1:void",
      authorizationId: null,
      authorizationKey: "ord_1:authorize",
    });
    expect(timedOut.event("saga.compensation_recorded").data.compensation).toMatchObject({
      step: "void-authorization",
      outcomeKnown: false,
    });
    expect(timedOut.state.steps.find((s) => s.name === "authorize-payment")?.status).toBe("timed-out");

    // Nothing was known to be authorized, so no payment.voided fact: consumers were never told of one.
    const voided = timedOut
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "saga.step_started"], commands: ["ReleaseInventory"] });
    const cancelled = voided
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"], commands: [] });
    expect(cancelled.state.cancelReason?.message).toBe("the payment provider did not answer in time");
  });

  it("a confirmation failing for good voids then releases, in reverse order of the steps", () => {
    const voiding = given(...UNTIL.confirming)
      .when(fails("permanent"))
      .thenExpect({
        events: ["saga.step_failed", "order.cancellation_started", "saga.step_started"],
        commands: ["VoidAuthorization"],
      });
    expect(voiding.command("VoidAuthorization")).toMatchObject({
      authorizationId: "auth_1",
      idempotencyKey: "ord_1:void",
    });
    const releasing = voiding.and(succeeds()).thenExpect({
      events: ["saga.step_succeeded", "payment.voided", "saga.step_started"],
      commands: ["ReleaseInventory"],
    });
    expect(releasing.event("payment.voided").data.authorizationId).toBe("auth_1");
    releasing
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"] });
  });

  it("retries exhausted on the authorization: voided in case it went through, then released", () => {
    const o = given(...UNTIL.authorizing, fails("transient"), alarm(), fails("transient"), alarm())
      .when(fails("transient"))
      .thenExpect({
        events: [
          "saga.step_failed",
          "saga.compensation_recorded",
          "order.cancellation_started",
          "saga.step_started",
        ],
        commands: ["VoidAuthorization"],
      });
    expect(o.event("saga.step_failed").data).toMatchObject({ attempt: POLICY.maxAttempts, retryAt: null });
    expect(o.state.cancelReason?.code).toBe("payment-unavailable");
  });
});

describe("checkout saga: compensations must succeed", () => {
  const voiding = [...UNTIL.confirming, fails("permanent")];

  it("a compensation failing transiently is retried with the same key", () => {
    const o = given(...voiding, fails("transient"))
      .when(alarm())
      .thenExpect({ events: ["saga.step_started"], commands: ["VoidAuthorization"] });
    expect(o.command("VoidAuthorization")).toMatchObject({ idempotencyKey: "ord_1:void", attempt: 2 });
  });

  it("past the attempts it keeps retrying at the longest backoff and reports the stall once", () => {
    const stalls = [fails("transient"), alarm(), fails("transient"), alarm()];
    const o = given(...voiding, ...stalls)
      .when(fails("transient"))
      .thenExpect({ events: ["saga.step_failed", "order.saga_stalled"], commands: ["ScheduleRetry"] });
    expect(o.command("ScheduleRetry").at - o.after.now).toBeGreaterThanOrEqual(POLICY.maxBackoffMs / 2);
    expect(o.event("order.saga_stalled").data).toMatchObject({ step: "void-authorization", attempts: 3 });
    expect(o.state.steps.at(-1)).toMatchObject({ status: "retrying", stalledAt: expect.any(Number) });

    const again = o
      .and(alarm())
      .and(fails("transient"))
      .thenExpect({ events: ["saga.step_failed"], commands: ["ScheduleRetry"] });
    const done = again.and(alarm()).and(succeeds());
    expect(done.decision.events.map((e) => e.type)).toEqual([
      "saga.step_succeeded",
      "payment.voided",
      "saga.step_started",
    ]);
  });

  it("a permanent failure of a compensation is retried too, never given up silently", () => {
    given(...voiding)
      .when(fails("permanent"))
      .thenExpect({ events: ["saga.step_failed", "order.saga_stalled"], commands: ["ScheduleRetry"] });
  });

  it("a compensation that does not answer in time is retried", () => {
    const o = given(...voiding)
      .when(alarm())
      .thenExpect({ events: ["saga.step_failed"], commands: ["ScheduleRetry"] });
    expect(o.state.status).toBe("cancelling");
  });
});

describe("checkout saga: cancel requests", () => {
  it("while reserving: the reservation is abandoned and released in case it went through", () => {
    const o = given(...UNTIL.reserving)
      .when(cancelRequested())
      .thenExpect({
        events: [
          "saga.step_abandoned",
          "saga.compensation_recorded",
          "order.cancellation_started",
          "saga.step_started",
        ],
        commands: ["ReleaseInventory"],
      });
    expect(o.event("order.cancellation_started").data).toMatchObject({
      reason: { code: "requested-by-buyer", message: "cancelled at your request" },
      requestedBy: BUYER,
    });
    expect(statusMessage(o.state)).toBe("We're cancelling your order");
    const done = o.and(succeeds()).thenExpect({ events: ["saga.step_succeeded", "order.cancelled"] });
    expect(statusMessage(done.state)).toBe(
      "Your order was cancelled at your request. You have not been charged.",
    );
  });

  it("while authorizing: the authorization is voided by key, then the reservation released", () => {
    const o = given(...UNTIL.authorizing)
      .when(cancelRequested(MERCHANT))
      .thenExpect({
        events: [
          "saga.step_abandoned",
          "saga.compensation_recorded",
          "order.cancellation_started",
          "saga.step_started",
        ],
        commands: ["VoidAuthorization"],
      });
    expect(o.command("VoidAuthorization").authorizationId).toBeNull();
    expect(o.state.steps.find((s) => s.name === "authorize-payment")?.status).toBe("abandoned");
    expect(o.state.cancelReason?.code).toBe("cancelled-by-merchant");
    o.and(succeeds())
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"] });
  });

  it("while a retry is scheduled: accepted the same way", () => {
    given(...UNTIL.authorizing, fails("transient"))
      .when(cancelRequested())
      .thenExpect({
        events: [
          "saga.step_abandoned",
          "saga.compensation_recorded",
          "order.cancellation_started",
          "saga.step_started",
        ],
        commands: ["VoidAuthorization"],
      });
  });

  it("once confirming has started, or after, it is too late", () => {
    given(...UNTIL.confirming)
      .when(cancelRequested())
      .thenExpect({ rejected: "too-late" });
    given(...UNTIL.capturing)
      .when(cancelRequested())
      .thenExpect({ rejected: "too-late" });
    given(...UNTIL.captured)
      .when(cancelRequested())
      .thenExpect({ rejected: "too-late" });
  });

  it("an order already cancelling or cancelled is not cancelled again", () => {
    given(...UNTIL.authorizing, cancelRequested())
      .when(cancelRequested())
      .thenExpect({ rejected: "already-cancelled" });
    given(placed(), fails("permanent", "out-of-stock"))
      .when(cancelRequested())
      .thenExpect({ rejected: "already-cancelled" });
  });

  it("an unknown order cannot be cancelled", () => {
    given().when(cancelRequested()).thenExpect({ rejected: "unknown-order" });
  });

  it("the alarm is re-armed for each compensation", () => {
    const o = given(...UNTIL.authorizing).when(cancelRequested());
    expect(alarmAt(o.state)).toBe(o.command("VoidAuthorization").deadline);
  });
});
