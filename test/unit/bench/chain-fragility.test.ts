import { describe, expect, it } from "vitest";
import type { Placement } from "../../../bench/chain/fire";
import { fragilityOf, type LedgerEntry, moneyConsistent } from "../../../bench/chain/fragility";
import { isDone, type OrderRow, type RunResult } from "../../../bench/chain/runs";

const row = (id: string, status: string, steps: OrderRow["steps"] = []): OrderRow => ({
  id,
  status,
  steps,
  cancelReason: status === "cancelled" ? JSON.stringify({ code: "payment-unavailable" }) : null,
  createdAt: 0,
  updatedAt: 0,
});

const run = (orders: OrderRow[], placements: Partial<Placement>[] = []) =>
  ({
    path: "saga",
    buyers: orders.length,
    failed: placements.length,
    orders,
    placements,
  }) as unknown as RunResult;

const paid = (captures: number, authorized = 0): LedgerEntry => ({
  authorizations: { captured: captures > 0 ? 1 : 0, authorized },
  captures,
});

describe("chain bench: fragility and money checks", () => {
  it("counts retried, compensated and cancelled orders from their steps", () => {
    const orders = [
      row("a", "confirmed", [
        { name: "authorize-payment", status: "succeeded", attempts: 2 },
        { name: "capture-payment", status: "succeeded", attempts: 1 },
      ]),
      row("b", "cancelled", [
        { name: "authorize-payment", status: "failed", attempts: 5 },
        { name: "release-inventory", status: "succeeded", attempts: 1 },
      ]),
      row("c", "confirmed", [{ name: "capture-payment", status: "succeeded", attempts: 1 }]),
    ];
    const f = fragilityOf(run(orders), { a: paid(1), c: paid(1) });
    expect(f).toMatchObject({
      confirmed: 2,
      cancelled: 1,
      retried: 2,
      retriedThenConfirmed: 1,
      compensated: 1,
      cancelReasons: { "payment-unavailable": 1 },
    });
    expect(moneyConsistent(f)).toBe(true);
  });

  it("flags a double charge, a charge or a hold without a confirmed order, and a confirmed order not charged", () => {
    const orders = [
      row("twice", "confirmed"),
      row("orphan", "cancelled"),
      row("held", "cancelled"),
      row("free", "confirmed"),
    ];
    const f = fragilityOf(run(orders), { twice: paid(2), orphan: paid(1), held: paid(0, 1) });
    expect(f).toMatchObject({
      chargedTwice: 1,
      chargedNotConfirmed: 1,
      heldNotConfirmed: 1,
      confirmedNotCharged: 2,
    });
    expect(moneyConsistent(f)).toBe(false);
  });

  it("tells the injected fault from the provider's timeout and the client's", () => {
    const failed = [
      { status: 502, timedOut: false, error: "502 authorize-payment failed: injected: payments outage" },
      { status: 504, timedOut: false, error: "504 authorize-payment failed: The provider did not answer" },
      { status: 0, timedOut: true, error: "client timeout" },
      { status: 201, timedOut: false, error: null },
    ];
    expect(fragilityOf(run([], failed), {}).failureCauses).toEqual({
      "injected fault": 1,
      "provider timeout": 1,
      "client timeout": 1,
    });
  });

  it("calls a confirmed saga order done only once its capture has settled", () => {
    expect(isDone(row("x", "confirmed", [{ name: "capture-payment", status: "running", attempts: 1 }]))).toBe(
      false,
    );
    expect(
      isDone(row("x", "confirmed", [{ name: "capture-payment", status: "succeeded", attempts: 1 }])),
    ).toBe(true);
    expect(isDone(row("x", "pending"))).toBe(false);
    expect(isDone(row("x", "cancelled"))).toBe(true);
  });
});
