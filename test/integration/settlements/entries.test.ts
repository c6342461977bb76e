import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertOrder } from "../../support/orders";
import { deliver } from "../../support/queues";
import { aProductOf, orderFact } from "../../support/settlements";
import { createTestUser } from "../../support/users";

const entriesOf = async (orderId: string) =>
  (
    await env.DB.prepare(
      "SELECT merchant_id, kind, amount_minor, occurred_at, currency FROM settlement_entries WHERE order_id = ? ORDER BY kind, amount_minor",
    )
      .bind(orderId)
      .all<{
        merchant_id: string;
        kind: string;
        amount_minor: number;
        occurred_at: number;
        currency: string;
      }>()
  ).results;

describe("settlement-entries consumer", () => {
  it("records each merchant's lines after discounts, at the fact's time, once however often it is delivered", async () => {
    const [a, b, buyer] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("merchant"),
      createTestUser("buyer"),
    ]);
    const [pa, pb] = await Promise.all([aProductOf(a, 2_000), aProductOf(b, 1_000)]);
    const order = await insertOrder(buyer.id, [pa, pb], { status: "refunded" });
    // A promotion took 200 off A's line; shipping and tax are in the total but belong to no merchant.
    const lines = order.lines.map((l) => (l.productId === pa.id ? { ...l, discount: 200 } : l));
    await env.DB.prepare("UPDATE orders SET lines = ?, tax_minor = 150 WHERE id = ?")
      .bind(JSON.stringify(lines), order.id)
      .run();
    const confirmedAt = Date.UTC(2026, 10, 26, 23, 59, 59);
    const confirmed = orderFact("order.confirmed", order, confirmedAt);
    const refunded = orderFact("order.refunded", order, confirmedAt + 120_000);

    const first = await deliver("crossdock-settlement-entries", [{ body: confirmed }, { body: refunded }]);
    expect(first.explicitAcks).toHaveLength(2);
    // Redelivered, and the same facts again under new ids (a saga that re-published them).
    await deliver("crossdock-settlement-entries", [{ body: confirmed }]);
    await deliver("crossdock-settlement-entries", [{ body: { ...refunded, id: `${refunded.id}x` } }]);

    expect(await entriesOf(order.id)).toEqual([
      {
        merchant_id: b.id,
        kind: "refund",
        amount_minor: 1_000,
        occurred_at: confirmedAt + 120_000,
        currency: "USD",
      },
      {
        merchant_id: a.id,
        kind: "refund",
        amount_minor: 1_800,
        occurred_at: confirmedAt + 120_000,
        currency: "USD",
      },
      { merchant_id: b.id, kind: "sale", amount_minor: 1_000, occurred_at: confirmedAt, currency: "USD" },
      { merchant_id: a.id, kind: "sale", amount_minor: 1_800, occurred_at: confirmedAt, currency: "USD" },
    ]);
  });
});
