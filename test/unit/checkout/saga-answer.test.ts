import { describe, expect, it } from "vitest";
import type { OrderView } from "../../../src/durable-objects/checkout/order-saga-client";
import { AppError } from "../../../src/platform/errors";
import { assertMayRefund, viewOrThrow } from "../../../src/routes/checkout/orders/saga-answer";

const view: OrderView = {
  orderId: "ord_1",
  status: "cancelling",
  statusMessage: "We're cancelling your order",
  version: 4,
  steps: [],
  cancelReason: { code: "requested-by-buyer", message: "cancelled at your request" },
  updatedAt: 0,
};

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected a throw");
}

describe("viewOrThrow", () => {
  it("given an accepted request, then the saga's view", () => {
    expect(viewOrThrow({ ok: true, view }, "ord_1")).toBe(view);
  });

  it("given unknown-order, then 404", () => {
    const e = thrown(() =>
      viewOrThrow({ ok: false, reason: "unknown-order", message: "No such order." }, "ord_1"),
    );
    expect([e.status, e.type]).toEqual([404, "not-found"]);
  });

  it.each(["too-late", "already-cancelled", "not-refundable", "already-refunded"] as const)(
    "given %s, then 409 of that type with the saga's message",
    (reason) => {
      const e = thrown(() => viewOrThrow({ ok: false, reason, message: "nope" }, "ord_1"));
      expect([e.status, e.type, e.message]).toEqual([409, reason, "nope"]);
    },
  );

  it("given unknown-step (a step the saga never issued: our bug), then an unknown error, answered as a 500", () => {
    expect(() => viewOrThrow({ ok: false, reason: "unknown-step", message: "nope" }, "ord_1")).toThrow(
      /ord_1/,
    );
    try {
      viewOrThrow({ ok: false, reason: "unknown-step", message: "nope" }, "ord_1");
    } catch (e) {
      expect(e).not.toBeInstanceOf(AppError);
    }
  });
});

describe("assertMayRefund", () => {
  const solo = { id: "ord_1", merchantIds: ["usr_m1"] };
  const shared = { id: "ord_2", merchantIds: ["usr_m1", "usr_m2"] };

  it("lets an admin refund any order", () => {
    expect(() => assertMayRefund(shared, { userId: "usr_a", role: "admin" })).not.toThrow();
  });

  it("lets the merchant of every line refund", () => {
    expect(() => assertMayRefund(solo, { userId: "usr_m1", role: "merchant" })).not.toThrow();
  });

  it("answers 403 to a merchant sharing the order with others, 404 to one with no line in it", () => {
    expect(thrown(() => assertMayRefund(shared, { userId: "usr_m1", role: "merchant" })).status).toBe(403);
    expect(thrown(() => assertMayRefund(solo, { userId: "usr_m9", role: "merchant" })).status).toBe(404);
  });

  it("answers 404 to a buyer, even the order's own", () => {
    expect(thrown(() => assertMayRefund(solo, { userId: "usr_b", role: "buyer" })).status).toBe(404);
  });
});
