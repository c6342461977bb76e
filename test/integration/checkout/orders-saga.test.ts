/**
 * The orders HTTP front against the real OrderSaga Durable Object and order-saga consumer. Needs
 * feat/orders-do merged (ORDER_SAGA binding, the object, the consumer); fails without it by design.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { insertProduct } from "../../support/catalog";
import { eventually } from "../../support/events";
import { call, postJson } from "../../support/http";
import { insertQuote } from "../../support/orders";
import type { TestProduct } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";

interface Accepted {
  id: string;
  status: string;
  statusUrl: string;
  consistencyToken: string;
}
interface Order {
  status: string;
  steps: { name: string; status: string }[];
  cancelReason: { code: string } | null;
}

let merchant: TestUser;
let mug: TestProduct;
beforeAll(async () => {
  merchant = await createTestUser("merchant");
  mug = await insertProduct(merchant.id, { priceMinor: 1250, stock: 100 });
});

async function placeOrder(buyer: TestUser, paymentMethod = "pm_card_visa"): Promise<Accepted> {
  const quote = await insertQuote(buyer.id, [{ product: mug }]);
  const res = await postJson(
    "/v1/orders",
    { quoteId: quote.id, paymentMethod },
    { ...buyer.auth, "idempotency-key": crypto.randomUUID() },
  );
  expect(res.status).toBe(202);
  return res.json<Accepted>();
}

const read = async (buyer: TestUser, id: string) =>
  (await call(`/v1/orders/${id}`, { headers: buyer.auth })).json<Order>();
const reaches = (buyer: TestUser, id: string, status: string) =>
  eventually(async () => {
    const order = await read(buyer, id);
    return order.status === status ? order : null;
  });

describe("orders with the real saga", () => {
  it("confirms a paid order, its steps recorded, and the list catches up to the token", async () => {
    const buyer = await createTestUser("buyer");
    const accepted = await placeOrder(buyer);
    const order = await reaches(buyer, accepted.id, "confirmed");
    expect(order.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(["reserve-inventory", "authorize-payment", "confirm-order"]),
    );
    const list = await eventually(async () => {
      const body = await (await call("/v1/orders", { headers: buyer.auth })).json<{
        items: { id: string; status: string }[];
      }>();
      return body.items.find((i) => i.id === accepted.id && i.status === "confirmed");
    });
    expect(list).toBeTruthy();
  });

  it("cancels at the buyer's request while it can (202), then 409 already-cancelled", async () => {
    const buyer = await createTestUser("buyer");
    const { id } = await placeOrder(buyer, "pm_card_slow");
    const res = await postJson(`/v1/orders/${id}/cancel`, {}, buyer.auth);
    expect(res.status).toBe(202);
    const accepted = await res.json<Accepted>();
    expect(["cancelling", "cancelled"]).toContain(accepted.status);
    const order = await reaches(buyer, id, "cancelled");
    expect(order.cancelReason?.code).toBe("requested-by-buyer");
    const again = await postJson(`/v1/orders/${id}/cancel`, {}, buyer.auth);
    expect(again.status).toBe(409);
    expect((await again.json<{ type: string }>()).type).toBe("/problems/already-cancelled");
  });

  it("refuses to cancel a confirmed order (409 too-late) and lets its merchant refund it (202)", async () => {
    const buyer = await createTestUser("buyer");
    const { id } = await placeOrder(buyer);
    await reaches(buyer, id, "confirmed");
    const cancel = await postJson(`/v1/orders/${id}/cancel`, {}, buyer.auth);
    expect(cancel.status).toBe(409);
    expect((await cancel.json<{ type: string }>()).type).toBe("/problems/too-late");
    const refund = await postJson(`/v1/orders/${id}/refund`, {}, merchant.auth);
    expect(refund.status).toBe(202);
    const token = (await refund.json<Accepted>()).consistencyToken;
    await reaches(buyer, id, "refunded");
    const list = await (await call(`/v1/orders?consistencyToken=${token}`, { headers: buyer.auth })).json<{
      consistency: { caughtUp: boolean };
    }>();
    expect(list.consistency.caughtUp).toBe(true);
  });

  it("refuses a refund of an order that is not confirmed: 409 not-refundable", async () => {
    const buyer = await createTestUser("buyer");
    const { id } = await placeOrder(buyer, "pm_card_declined");
    await reaches(buyer, id, "cancelled");
    const refund = await postJson(`/v1/orders/${id}/refund`, {}, merchant.auth);
    expect(refund.status).toBe(409);
  });

  it("streams the owner's order as Server-Sent Events", async () => {
    const buyer = await createTestUser("buyer");
    const { id } = await placeOrder(buyer);
    const res = await call(`/v1/orders/${id}/stream`, { headers: buyer.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    // The stream ends by itself at a terminal status; the first event is the status at connect time.
    const events = (await res.text())
      .split("\n\n")
      .filter((chunk) => chunk.includes("event: status"))
      .map((chunk) =>
        JSON.parse(
          chunk
            .split("\n")
            .find((l) => l.startsWith("data: "))!
            .slice(6),
        ),
      );
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(events[0].status).toBe("pending");
    expect(events.at(-1)).toMatchObject({ status: "confirmed", terminal: true });
    const versions = events.map((e) => e.version as number);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
  });
});
