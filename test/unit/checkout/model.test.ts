import { describe, expect, it } from "vitest";
import {
  CHECKOUT_EVENTS,
  evolve,
  evolveAll,
  idempotencyKeyFor,
  isPublished,
  type OrderSagaState,
  type SagaEvent,
  statusMessage,
} from "../../../src/flows/checkout";
import {
  alarm,
  cancelRequested,
  fails,
  given,
  ORDER,
  placed,
  refundRequested,
  succeeds,
  T0,
  UNTIL,
} from "./saga-scenario";

describe("evolve", () => {
  it("increases the version by exactly one per event, from 1 at order.placed", () => {
    const { history } = given(...UNTIL.captured, refundRequested(), succeeds(), succeeds());
    let state: OrderSagaState | null = null;
    history.forEach((event, i) => {
      state = evolve(state, event);
      expect(state.version).toBe(i + 1);
      expect(state.updatedAt).toBe(event.at);
    });
  });

  it("rebuilds the same state from the history as the decisions produced", () => {
    const g = given(...UNTIL.authorizing, alarm(), succeeds());
    expect(evolveAll(null, g.history)).toEqual(g.world.state);
  });

  it("never changes the state it is given", () => {
    const g = given(...UNTIL.authorizing);
    const before = structuredClone(g.world.state);
    g.when(fails("permanent"));
    expect(g.world.state).toEqual(before);
  });

  it("refuses a corrupt history", () => {
    const [placedEvent, started] = given(placed()).history as [SagaEvent, SagaEvent];
    expect(() => evolve(null, started)).toThrow(/before order.placed/);
    expect(() => evolve(evolve(null, placedEvent), placedEvent)).toThrow(/already placed/);
  });
});

describe("published facts", () => {
  it("every published event validates against its schema; bookkeeping is not published", () => {
    const { history } = given(...UNTIL.captured, refundRequested(), succeeds(), succeeds());
    const cancelled = given(...UNTIL.authorizing, alarm(), succeeds(), succeeds()).history;
    for (const e of [...history, ...cancelled]) {
      if (isPublished(e)) expect(CHECKOUT_EVENTS[e.type].current.parse(e.data)).toEqual(e.data);
      else expect(e.type.startsWith("saga.")).toBe(true);
    }
    expect(history.filter(isPublished).map((e) => e.type)).toEqual([
      "order.placed",
      "inventory.reserved",
      "payment.authorized",
      "order.confirmed",
      "payment.captured",
      "order.refund_requested",
      "payment.refunded",
      "inventory.restocked",
      "order.refunded",
    ]);
  });

  it("each definition's example is valid data", () => {
    for (const def of Object.values(CHECKOUT_EVENTS)) {
      for (const v of def.versions) expect(() => v.schema.parse(v.example), def.type).not.toThrow();
    }
  });

  it("facts are past tense and about the order", () => {
    for (const [type, def] of Object.entries(CHECKOUT_EVENTS)) {
      expect(type).toMatch(/^(order|payment|inventory)\.[a-z_]+(ed|_started|_stalled|_failed|_requested)$/);
      expect(def.subject).toBe("order");
    }
  });
});

describe("statusMessage", () => {
  const at = (...stimuli: Parameters<typeof given>) => statusMessage(given(...stimuli).world.state!);

  it.each([
    ["reserving", at(placed()), "We're reserving your items"],
    ["authorizing", at(...UNTIL.authorizing), "We're confirming your payment"],
    ["confirming", at(...UNTIL.confirming), "We're confirming your order"],
    ["capturing", at(...UNTIL.capturing), "Your order is confirmed"],
    ["captured", at(...UNTIL.captured), "Your order is confirmed"],
    [
      "out of stock",
      at(placed(), fails("permanent", "out-of-stock")),
      "Your order was cancelled: an item is out of stock. You have not been charged.",
    ],
    [
      "declined, releasing",
      at(...UNTIL.authorizing, fails("permanent")),
      "We're cancelling your order: your card was declined",
    ],
    [
      "timed out",
      at(...UNTIL.authorizing, alarm(), succeeds(), succeeds()),
      "Your order was cancelled: the payment provider did not answer in time. You have not been charged.",
    ],
    [
      "cancelled by the buyer",
      at(placed(), cancelRequested(), succeeds()),
      "Your order was cancelled at your request. You have not been charged.",
    ],
    [
      "cancelled by support",
      at(placed(), cancelRequested({ userId: "usr_admin", role: "admin" }), succeeds()),
      "Your order was cancelled by our support team. You have not been charged.",
    ],
    ["refunding", at(...UNTIL.captured, refundRequested()), "We're refunding your order"],
    ["refunded", at(...UNTIL.captured, refundRequested(), succeeds(), succeeds()), "Your order was refunded"],
  ])("%s", (_, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe("keys", () => {
  it("keys name the order and the step; a second run of a step gets its own key", () => {
    expect(idempotencyKeyFor("ord_1", "authorize-payment")).toBe("ord_1:authorize");
    expect(idempotencyKeyFor("ord_1", "capture-payment")).toBe("ord_1:capture");
    expect(idempotencyKeyFor("ord_1", "void-authorization", 2)).toBe("ord_1:void:2");
  });

  it("the placed time and the order are kept as given", () => {
    expect(given(placed()).world.state).toMatchObject({ ...ORDER, placedAt: T0 });
  });
});
