import { describe, expect, it } from "vitest";
import { alarmAt, isTerminal, statusMessage } from "../../../src/flows/checkout";
import {
  alarm,
  earlyAlarm,
  fails,
  given,
  givenWith,
  ORDER,
  POLICY,
  placed,
  succeeds,
  T0,
  UNTIL,
  withRandom,
} from "./saga-scenario";

describe("checkout saga: the happy path", () => {
  it("placing an order starts reserving its items", () => {
    const o = given()
      .when(placed())
      .thenExpect({ events: ["order.placed", "saga.step_started"], commands: ["ReserveInventory"] });
    const reserve = o.command("ReserveInventory");
    expect(reserve).toMatchObject({
      orderId: "ord_1",
      idempotencyKey: "ord_1:reserve",
      attempt: 1,
      lines: ORDER.lines,
    });
    expect(reserve.deadline).toBe(T0 + POLICY.stepTimeoutMs["reserve-inventory"]);
    expect(alarmAt(o.state)).toBe(reserve.deadline);
    expect(o.state).toMatchObject({ status: "pending", version: 2 });
    expect(statusMessage(o.state)).toBe("We're reserving your items");
  });

  it("a reservation records its release and authorizes the payment with the order's key", () => {
    const o = given(...UNTIL.reserving)
      .when(succeeds())
      .thenExpect({
        events: [
          "saga.step_succeeded",
          "inventory.reserved",
          "saga.compensation_recorded",
          "saga.step_started",
        ],
        commands: ["AuthorizePayment"],
      });
    expect(o.command("AuthorizePayment")).toMatchObject({
      idempotencyKey: "ord_1:authorize",
      amount: 3750,
      currency: "USD",
      paymentMethod: "pm_card_visa",
    });
    expect(o.state.compensations.map((c) => c.step)).toEqual(["release-inventory"]);
    expect(statusMessage(o.state)).toBe("We're confirming your payment");
  });

  it("an authorization records its void and confirms the order", () => {
    const o = given(...UNTIL.authorizing)
      .when(succeeds({ authorizationId: "auth_42" }))
      .thenExpect({
        events: [
          "saga.step_succeeded",
          "payment.authorized",
          "saga.compensation_recorded",
          "saga.step_started",
        ],
        commands: ["ConfirmOrder"],
      });
    expect(o.event("payment.authorized").data).toEqual({
      orderId: "ord_1",
      buyerId: "usr_buyer",
      amount: 3750,
      currency: "USD",
      authorizationId: "auth_42",
    });
    expect(o.state.compensations.map((c) => c.step)).toEqual(["release-inventory", "void-authorization"]);
    expect(o.state.authorizationId).toBe("auth_42");
  });

  it("confirming is the point of no return: compensations are dropped and the payment captured", () => {
    const o = given(...UNTIL.confirming)
      .when(succeeds())
      .thenExpect({
        events: ["saga.step_succeeded", "order.confirmed", "saga.step_started"],
        commands: ["CapturePayment"],
      });
    expect(o.command("CapturePayment")).toMatchObject({
      idempotencyKey: "ord_1:capture",
      authorizationId: "auth_1",
    });
    expect(o.state).toMatchObject({ status: "confirmed", inventory: "sold", compensations: [] });
    expect(statusMessage(o.state)).toBe("Your order is confirmed");
    expect(isTerminal(o.state)).toBe(false);
  });

  it("a capture completes the saga", () => {
    const o = given(...UNTIL.capturing)
      .when(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "payment.captured"], commands: [] });
    expect(o.state).toMatchObject({
      status: "confirmed",
      payment: "captured",
      captureId: "cap_1",
      pending: null,
    });
    expect(isTerminal(o.state)).toBe(true);
    expect(alarmAt(o.state)).toBeNull();
    expect(o.state.steps.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ["reserve-inventory", "succeeded", 1],
      ["authorize-payment", "succeeded", 1],
      ["confirm-order", "succeeded", 1],
      ["capture-payment", "succeeded", 1],
    ]);
    for (const s of o.state.steps) expect(s.finishedAt).toBeGreaterThan(s.startedAt);
  });
});

describe("checkout saga: retries and timeouts", () => {
  it("a transient failure schedules a retry with exponential backoff and jitter", () => {
    const o = given(...UNTIL.authorizing)
      .when(withRandom(0.5, fails("transient", "gateway-503")))
      .thenExpect({ events: ["saga.step_failed"], commands: ["ScheduleRetry"] });
    // attempt 1: cap 1000 ms, equal jitter with random 0.5: 500 + 250
    expect(o.command("ScheduleRetry")).toMatchObject({ at: o.after.now + 750, command: { attempt: 1 } });
    expect(alarmAt(o.state)).toBe(o.after.now + 750);
    expect(o.state.steps.at(-1)).toMatchObject({
      status: "retrying",
      detail: "transient failure (gateway-503)",
    });
    expect(statusMessage(o.state)).toBe(
      "We're confirming your payment — this is taking a little longer than usual",
    );
  });

  it("the retry goes out when the alarm fires, with the same key and a fresh deadline, and delays grow", () => {
    const g = given(...UNTIL.authorizing, withRandom(0, fails("transient")));
    const retry = g
      .when(alarm())
      .thenExpect({ events: ["saga.step_started"], commands: ["AuthorizePayment"] });
    expect(retry.command("AuthorizePayment")).toMatchObject({
      idempotencyKey: "ord_1:authorize",
      attempt: 2,
      deadline: retry.after.now + POLICY.stepTimeoutMs["authorize-payment"],
    });
    const second = retry.and(withRandom(0, fails("transient")));
    expect(second.command("ScheduleRetry").at - second.after.now).toBe(1000); // cap 2000, random 0: half
    const success = second.and(alarm()).and(succeeds());
    expect(success.decision.commands.map((c) => c.type)).toEqual(["ConfirmOrder"]);
    expect(success.state.steps[1]).toMatchObject({
      name: "authorize-payment",
      status: "succeeded",
      attempts: 3,
    });
  });

  it("backoff never exceeds the cap", () => {
    const policy = { ...POLICY, maxAttempts: 10, maxBackoffMs: 3000 };
    let o = givenWith(policy, ...UNTIL.authorizing).when(withRandom(0.999, fails("transient")));
    for (let i = 0; i < 6; i++) {
      expect(o.command("ScheduleRetry").at - o.after.now).toBeLessThanOrEqual(3000);
      o = o.and(alarm(), policy).and(withRandom(0.999, fails("transient")), policy);
    }
  });

  it("an alarm before the deadline or the retry time changes nothing", () => {
    given(...UNTIL.authorizing)
      .when(earlyAlarm())
      .thenNothing();
    given(...UNTIL.authorizing, fails("transient"))
      .when(earlyAlarm())
      .thenNothing();
  });

  it("a reservation that does not answer in time is retried, not cancelled", () => {
    const o = given(...UNTIL.reserving)
      .when(alarm())
      .thenExpect({ events: ["saga.step_failed"], commands: ["ScheduleRetry"] });
    expect(o.event("saga.step_failed").data.error.kind).toBe("timeout");
    expect(o.state.status).toBe("pending");
  });

  it("a confirmation that keeps timing out is retried until the attempts run out, then cancelled", () => {
    const o = given(...UNTIL.confirming, alarm(), alarm(), alarm(), alarm())
      .when(alarm())
      .thenExpect({
        events: ["saga.step_failed", "order.cancellation_started", "saga.step_started"],
        commands: ["VoidAuthorization"],
      });
    expect(o.state.cancelReason?.code).toBe("confirmation-failed");
  });
});
