import { describe, expect, it } from "vitest";
import { isTerminal, stepSucceeded } from "../../../src/flows/checkout";
import {
  alarm,
  answersLate,
  cancelRequested,
  fails,
  failsLate,
  given,
  placed,
  send,
  succeeds,
  UNTIL,
} from "./saga-scenario";

describe("checkout saga: duplicate and stale messages", () => {
  it("the same success twice: the second changes nothing", () => {
    given(...UNTIL.authorizing, succeeds())
      .when(answersLate("authorize-payment"))
      .thenNothing();
    given(...UNTIL.captured)
      .when(answersLate("capture-payment"))
      .thenNothing();
  });

  it("the same failure twice: the second changes nothing", () => {
    given(...UNTIL.authorizing, fails("transient"))
      .when(failsLate("authorize-payment", "transient"))
      .thenNothing();
  });

  it("a failure of an earlier attempt, after the retry went out, changes nothing", () => {
    const g = given(...UNTIL.authorizing, fails("transient"), alarm());
    const stale = g.world.issued.find((c) => c.step === "authorize-payment" && c.attempt === 1)!;
    given(...UNTIL.authorizing, fails("transient"), alarm())
      .when(
        send({
          type: "StepFailed",
          step: stale.step,
          idempotencyKey: stale.idempotencyKey,
          attempt: 1,
          error: { kind: "permanent", code: "x", message: "x" },
        }),
      )
      .thenNothing();
  });

  it("a success of an earlier attempt counts: the effect is idempotent, any attempt's success is the success", () => {
    const g = given(...UNTIL.authorizing, fails("transient"), alarm());
    const first = g.world.issued.find((c) => c.step === "authorize-payment" && c.attempt === 1)!;
    g.when(send(stepSucceeded(first, { authorizationId: "auth_1" }))).thenExpect({
      events: [
        "saga.step_succeeded",
        "payment.authorized",
        "saga.compensation_recorded",
        "saga.step_started",
      ],
      commands: ["ConfirmOrder"],
    });
  });

  it("placing the same order again changes nothing", () => {
    given(...UNTIL.authorizing)
      .when(placed())
      .thenNothing();
  });

  it("an alarm with nothing pending changes nothing", () => {
    given(...UNTIL.captured)
      .when(alarm())
      .thenNothing();
    given().when(alarm()).thenNothing();
  });

  it("an answer to a command never issued is rejected as a shell bug", () => {
    given(...UNTIL.authorizing)
      .when(
        send({
          type: "StepSucceeded",
          step: "capture-payment",
          idempotencyKey: "ord_1:capture",
          attempt: 1,
          result: { captureId: "c" },
        }),
      )
      .thenExpect({ rejected: "unknown-step" });
    given()
      .when(
        send({
          type: "StepSucceeded",
          step: "confirm-order",
          idempotencyKey: "ord_1:confirm",
          attempt: 1,
          result: {},
        }),
      )
      .thenExpect({ rejected: "unknown-order" });
  });
});

describe("checkout saga: late answers", () => {
  const timedOut = [...UNTIL.authorizing, alarm()];

  it("an authorization answering after its timeout, while its blind void runs, is voided again by id — never confirmed", () => {
    const late = given(...timedOut)
      .when(answersLate("authorize-payment", { authorizationId: "auth_late" }))
      .thenExpect({
        events: ["saga.step_succeeded", "payment.authorized", "saga.compensation_recorded"],
        commands: [],
      });
    expect(late.event("saga.step_succeeded").data.late).toBe(true);
    expect(late.state.status).toBe("cancelling");

    // The blind void may have reached the gateway before the authorization existed: void it by id too.
    // Only that targeted void is reported as payment.voided.
    const afterBlind = late
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "saga.step_started"], commands: ["VoidAuthorization"] });
    expect(afterBlind.command("VoidAuthorization")).toMatchObject({
      idempotencyKey: "ord_1:void:2",
      authorizationId: "auth_late",
    });
    const voided = afterBlind.and(succeeds()).thenExpect({
      events: ["saga.step_succeeded", "payment.voided", "saga.step_started"],
      commands: ["ReleaseInventory"],
    });
    expect(voided.event("payment.voided").data.authorizationId).toBe("auth_late");
    const cancelled = voided
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"] });
    expect(cancelled.state).toMatchObject({ status: "cancelled", payment: "voided", inventory: "released" });
  });

  it("an authorization answering after the order was cancelled is voided; the order stays cancelled", () => {
    const g = given(...timedOut, succeeds(), succeeds());
    expect(g.world.state?.status).toBe("cancelled");
    const o = g.when(answersLate("authorize-payment", { authorizationId: "auth_late" })).thenExpect({
      events: [
        "saga.step_succeeded",
        "payment.authorized",
        "saga.compensation_recorded",
        "saga.step_started",
      ],
      commands: ["VoidAuthorization"],
    });
    expect(o.command("VoidAuthorization")).toMatchObject({
      authorizationId: "auth_late",
      idempotencyKey: "ord_1:void:2",
    });
    expect(isTerminal(o.state)).toBe(false);
    const voided = o
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "payment.voided"], commands: [] });
    expect(voided.state).toMatchObject({ status: "cancelled", payment: "voided" });
    expect(isTerminal(voided.state)).toBe(true);
  });

  it("a reservation answering after a cancel, while its blind release runs, is released again and reported once", () => {
    const o = given(...UNTIL.reserving, cancelRequested())
      .when(answersLate("reserve-inventory"))
      .thenExpect({
        events: ["saga.step_succeeded", "inventory.reserved", "saga.compensation_recorded"],
        commands: [],
      });
    const blindDone = o.and(succeeds()).thenExpect({
      events: ["saga.step_succeeded", "saga.step_started"],
      commands: ["ReleaseInventory"],
    });
    expect(blindDone.command("ReleaseInventory")).toMatchObject({
      idempotencyKey: "ord_1:release:2",
      reservationConfirmed: true,
    });
    blindDone
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.released", "order.cancelled"] });
  });

  it("a late failure of an abandoned step changes nothing", () => {
    given(...timedOut)
      .when(failsLate("authorize-payment", "permanent"))
      .thenNothing();
  });

  it("a late confirmation after the saga gave up on it does not confirm", () => {
    const g = given(...UNTIL.confirming, fails("permanent"));
    const o = g
      .when(answersLate("confirm-order"))
      .thenExpect({ events: ["saga.step_succeeded"], commands: [] });
    expect(o.state.status).toBe("cancelling");
  });
});

describe("checkout saga: capture after confirmation", () => {
  it("transient capture failures are retried past the attempts; the order stays confirmed", () => {
    const o = given(...UNTIL.capturing, fails("transient"), alarm(), fails("transient"), alarm())
      .when(fails("transient"))
      .thenExpect({ events: ["saga.step_failed", "order.saga_stalled"], commands: ["ScheduleRetry"] });
    expect(o.state.status).toBe("confirmed");
    const retried = o.and(alarm()).thenExpect({ commands: ["CapturePayment"] });
    expect(retried.command("CapturePayment")).toMatchObject({ idempotencyKey: "ord_1:capture", attempt: 4 });
  });

  it("a permanent capture failure is reported for operators, and the order stays confirmed", () => {
    const o = given(...UNTIL.capturing)
      .when(fails("permanent", "authorization-expired"))
      .thenExpect({ events: ["saga.step_failed", "payment.capture_failed"], commands: [] });
    expect(o.event("payment.capture_failed").data).toMatchObject({
      authorizationId: "auth_1",
      error: { code: "authorization-expired" },
    });
    expect(o.state).toMatchObject({ status: "confirmed", payment: "capture-failed", pending: null });
    expect(isTerminal(o.state)).toBe(false);
  });

  it("a capture that answers after failing permanently is recorded as captured", () => {
    given(...UNTIL.capturing, fails("permanent"))
      .when(answersLate("capture-payment"))
      .thenExpect({ events: ["saga.step_succeeded", "payment.captured"], commands: [] });
  });
});
