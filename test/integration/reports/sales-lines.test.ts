import { describe, expect, it } from "vitest";
import { insertProduct } from "../../support/catalog";
import { eventually } from "../../support/events";
import { call, postJson } from "../../support/http";
import { insertQuote } from "../../support/orders";
import { insertProducts } from "../../support/products";
import { deliver } from "../../support/queues";
import { aConfirmedOrder, salesLinesOf } from "../../support/reports";
import { createTestUser } from "../../support/users";

const QUEUE = "crossdock-sales-lines";
const MARCH_5 = Date.parse("2026-03-05T10:00:00Z");

describe("sales-lines projection", () => {
  it("writes one row per line of a confirmed order, each under its merchant", async () => {
    const mia = await createTestUser("merchant");
    const omar = await createTestUser("merchant");
    const buyer = await createTestUser("buyer");
    const [mug] = await insertProducts(mia.id, [{ title: "Blue mug", priceMinor: 1250, sku: "MUG-1" }]);
    const [lamp] = await insertProducts(omar.id, [{ title: "Desk lamp", priceMinor: 4000, sku: "LAMP-1" }]);
    const { order, confirmed } = await aConfirmedOrder(buyer.id, [mug!, lamp!], MARCH_5);

    const result = await deliver(QUEUE, [{ body: confirmed }]);
    expect(result.explicitAcks).toHaveLength(1);

    const lines = await salesLinesOf(order.id);
    expect(lines).toEqual([
      expect.objectContaining({
        line_no: 0,
        merchant_id: mia.id,
        product_id: mug!.id,
        sku: "MUG-1",
        title: "Blue mug",
        quantity: 1,
        unit_price_minor: 1250,
        amount_minor: 1250,
        currency: "USD",
        confirmed_at: MARCH_5,
        refunded_at: null,
        status: "confirmed",
      }),
      expect.objectContaining({ line_no: 1, merchant_id: omar.id, sku: "LAMP-1", amount_minor: 4000 }),
    ]);
  });

  it("is idempotent: the same fact again is skipped, a republished copy rewrites the same rows", async () => {
    const mia = await createTestUser("merchant");
    const buyer = await createTestUser("buyer");
    const products = await insertProducts(mia.id, [{ title: "A" }, { title: "B" }]);
    const { order, confirmed } = await aConfirmedOrder(buyer.id, products, MARCH_5);

    await deliver(QUEUE, [{ body: confirmed }]);
    const again = await deliver(QUEUE, [
      { body: confirmed },
      { body: { ...confirmed, id: `${confirmed.id}x` } },
    ]);
    expect(again.explicitAcks).toHaveLength(2);
    const lines = await salesLinesOf(order.id);
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.status === "confirmed" && l.confirmed_at === MARCH_5)).toBe(true);
  });

  it("marks lines refunded, and a late or repeated confirmation does not undo it", async () => {
    const mia = await createTestUser("merchant");
    const buyer = await createTestUser("buyer");
    const products = await insertProducts(mia.id, [{ title: "A" }]);
    const { order, confirmed, refunded } = await aConfirmedOrder(buyer.id, products, MARCH_5);
    const refundedAt = MARCH_5 + 86_400_000;

    // The refund overtakes the confirmation: the row is complete all the same.
    await deliver(QUEUE, [{ body: refunded(refundedAt) }]);
    await deliver(QUEUE, [{ body: confirmed }]);
    const [line] = await salesLinesOf(order.id);
    expect(line).toMatchObject({ status: "refunded", refunded_at: refundedAt, confirmed_at: MARCH_5 });
  });

  it("follows a real order through checkout and a merchant's refund", async () => {
    const merchant = await createTestUser("merchant");
    const buyer = await createTestUser("buyer");
    const mug = await insertProduct(merchant.id, { priceMinor: 1250, stock: 10, title: "Real mug" });
    const quote = await insertQuote(buyer.id, [{ product: mug, quantity: 2 }]);
    const placed = await postJson(
      "/v1/orders",
      { quoteId: quote.id, paymentMethod: "pm_card_visa" },
      { ...buyer.auth, "idempotency-key": crypto.randomUUID() },
    );
    expect(placed.status).toBe(202);
    const { id } = await placed.json<{ id: string }>();

    const [line] = await eventually(async () => {
      const lines = await salesLinesOf(id);
      return lines.length > 0 ? lines : null;
    });
    expect(line).toMatchObject({
      merchant_id: merchant.id,
      product_id: mug.id,
      title: "Real mug",
      quantity: 2,
      unit_price_minor: 1250,
      amount_minor: 2500,
      status: "confirmed",
    });

    // A refund needs the payment captured: wait for the saga to finish its forward path.
    await eventually(async () => {
      const order = await (await call(`/v1/orders/${id}`, { headers: buyer.auth })).json<{
        steps: { name: string; status: string }[];
      }>();
      return order.steps.some((s) => s.name === "capture-payment" && s.status === "succeeded") ? true : null;
    });
    const refund = await call(`/v1/orders/${id}/refund`, { method: "POST", headers: merchant.auth });
    expect(refund.status).toBe(202);
    const refundedLine = await eventually(async () => {
      const [l] = await salesLinesOf(id);
      return l?.status === "refunded" ? l : null;
    }, 20_000);
    expect(refundedLine.refunded_at).toEqual(expect.any(Number));
    expect(refundedLine.confirmed_at).toBe(line!.confirmed_at);
  });
});
