import { describe, expect, it } from "vitest";
import { insertProduct } from "../../support/catalog";
import { pageOf } from "../../support/merchant-desk";
import { confirmedFact, DESK_QUEUE, toDesks } from "../../support/merchant-orders";
import { insertOrder, updateOrder } from "../../support/orders";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";
import { webVisitor } from "../../support/web";

/** A merchant visitor with one product, a pending order and a paid (confirmed) one on the desk. */
async function aDesk() {
  const merchant = await webVisitor("merchant");
  const mug = await insertProduct(merchant.user!.id, { title: "Blue mug", priceMinor: 1250 });
  const buyer = await createTestUser("buyer");
  const pending = await insertOrder(buyer.id, [mug]);
  const paid = await insertOrder(buyer.id, [mug]);
  await toDesks(pending, paid);
  await updateOrder(paid.id, { status: "confirmed", version: 5 });
  await deliver(DESK_QUEUE, [{ body: confirmedFact(paid) }]);
  return { merchant, mug, pending, paid };
}

describe("/merchant/orders, the order desk", () => {
  it("opens on the paid orders to fulfil, with every order one tab away", async () => {
    const { merchant, pending, paid } = await aDesk();
    const desk = await pageOf(merchant, "/merchant/orders");
    expect(desk).toContain("Paid orders to fulfil, newest first");
    expect(desk).toContain(`href="/merchant/orders/${paid.id}"`);
    expect(desk).not.toContain(pending.id);
    expect(desk).toContain('<a href="/merchant/orders" aria-current="page">To fulfil</a>');

    const all = await pageOf(merchant, "/merchant/orders?show=all");
    expect(all).toContain(paid.id);
    expect(all).toContain(pending.id);
    expect(all).toContain("$12.50");
  });

  it("shows an order with only this merchant's lines and subtotal", async () => {
    const { merchant, mug, paid } = await aDesk();
    const other = await createTestUser("merchant");
    const lamp = await insertProduct(other.id, { title: "Someone else's lamp", priceMinor: 9900 });
    const shared = await insertOrder((await createTestUser("buyer")).id, [mug, lamp]);
    await toDesks(shared);
    const html = await pageOf(merchant, `/merchant/orders/${shared.id}`);
    expect(html).toContain("Blue mug");
    expect(html).not.toContain("Someone else");
    expect(html).not.toContain("$99.00");
    expect(await pageOf(merchant, `/merchant/orders/${paid.id}`)).toContain("Paid: ready to fulfil.");
  });

  it("designs the empty desk and answers another merchant's order with a 404 page", async () => {
    const { paid } = await aDesk();
    const stranger = await webVisitor("merchant");
    expect(await pageOf(stranger, "/merchant/orders")).toContain("Nothing to fulfil");
    expect(await pageOf(stranger, "/merchant/orders?show=all")).toContain(
      "No orders hold your products yet.",
    );
    const html = await pageOf(stranger, `/merchant/orders/${paid.id}`, 404);
    expect(html).toContain("<h1>Not found</h1>");
  });

  it("is a 403 page for a buyer", async () => {
    const { paid } = await aDesk();
    const html = await pageOf(await webVisitor("buyer"), `/merchant/orders/${paid.id}`, 403);
    expect(html).toContain("This page is for merchant accounts.");
  });
});
