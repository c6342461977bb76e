import { describe, expect, it } from "vitest";
import { isTerminal, statusMessage } from "../../../src/flows/checkout";
import {
  alarm,
  answersLate,
  fails,
  given,
  MERCHANT,
  refundRequested,
  succeeds,
  UNTIL,
} from "./saga-scenario";

describe("checkout saga: refunds", () => {
  it("a captured order is refunded through the gateway once, restocked, then reported refunded", () => {
    const refunding = given(...UNTIL.captured)
      .when(refundRequested())
      .thenExpect({ events: ["order.refund_requested", "saga.step_started"], commands: ["RefundPayment"] });
    expect(refunding.command("RefundPayment")).toMatchObject({
      idempotencyKey: "ord_1:refund",
      captureId: "cap_1",
      amount: 3750,
      currency: "USD",
    });
    expect(refunding.event("order.refund_requested").data.requestedBy).toEqual(MERCHANT);
    expect(refunding.state.status).toBe("refunding");
    expect(statusMessage(refunding.state)).toBe("We're refunding your order");

    const restocking = refunding.and(succeeds()).thenExpect({
      events: ["saga.step_succeeded", "payment.refunded", "saga.step_started"],
      commands: ["RestockInventory"],
    });
    expect(restocking.event("payment.refunded").data).toMatchObject({
      refundId: "ref_1",
      captureId: "cap_1",
    });

    const refunded = restocking
      .and(succeeds())
      .thenExpect({ events: ["saga.step_succeeded", "inventory.restocked", "order.refunded"], commands: [] });
    expect(refunded.state).toMatchObject({ status: "refunded", payment: "refunded", inventory: "restocked" });
    expect(statusMessage(refunded.state)).toBe("Your order was refunded");
    expect(isTerminal(refunded.state)).toBe(true);
  });

  it("a refund failing transiently is retried with the same key: the buyer is refunded once", () => {
    const o = given(...UNTIL.captured, refundRequested(), fails("transient"))
      .when(alarm())
      .thenExpect({ events: ["saga.step_started"], commands: ["RefundPayment"] });
    expect(o.command("RefundPayment")).toMatchObject({ idempotencyKey: "ord_1:refund", attempt: 2 });
  });

  it("a second refund request is rejected, while refunding and after", () => {
    given(...UNTIL.captured, refundRequested())
      .when(refundRequested())
      .thenExpect({ rejected: "already-refunded" });
    given(...UNTIL.captured, refundRequested(), succeeds(), succeeds())
      .when(refundRequested())
      .thenExpect({ rejected: "already-refunded" });
  });

  it("only a confirmed, captured order can be refunded", () => {
    given(...UNTIL.authorizing)
      .when(refundRequested())
      .thenExpect({ rejected: "not-refundable" });
    given(...UNTIL.capturing)
      .when(refundRequested())
      .thenExpect({ rejected: "not-refundable" });
    given(...UNTIL.authorizing, fails("permanent"))
      .when(refundRequested())
      .thenExpect({ rejected: "not-refundable" });
    given().when(refundRequested()).thenExpect({ rejected: "unknown-order" });
  });

  it("a late duplicate of the capture's answer does not disturb a refund", () => {
    given(...UNTIL.captured, refundRequested())
      .when(answersLate("capture-payment"))
      .thenNothing();
  });
});
