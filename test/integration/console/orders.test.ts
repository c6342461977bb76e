import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { merchantOrders } from "../../../src/flows/checkout/schema";
import { getDb } from "../../../src/platform/db/client";
import { insertProduct } from "../../support/catalog";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import { insertOrder } from "../../support/orders";
import { anOrder, aProduct, sagaFor, settle } from "../../support/saga-orders";
import { createTestUser } from "../../support/users";

let operator: ConsoleAdmin;
beforeAll(async () => {
  operator = await consoleAdmin();
});

/** The order ids a list page shows, top to bottom (the row links, not the buyer filter links). */
const listed = (html: string) =>
  [...html.matchAll(/href="\/console\/orders\/(ord_[^"]+)"/g)].map((m) => m[1] ?? "");

/** The next page's link, unescaped, or null on the last page. */
const nextLink = (html: string) =>
  /<a href="([^"]+)" rel="next">/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;

/**
 * One buyer's orders in every part of the list (ORDER_STUCK_SECONDS is 15 in the tests' config): two
 * stuck, one moving recently, two confirmed, one cancelled.
 */
async function aBuyersOrders() {
  const buyer = await createTestUser("buyer");
  const merchant = await createTestUser("merchant");
  const product = await insertProduct(merchant.id);
  const now = Date.now();
  const order = (status: "pending" | "cancelling" | "confirmed" | "cancelled", agoMs: number) =>
    insertOrder(buyer.id, [product], { status, updatedAt: now - agoMs, createdAt: now - agoMs - 1000 });
  const stuckOld = await order("pending", 60_000);
  const stuckNewer = await order("cancelling", 30_000);
  const moving = await order("pending", 1_000);
  const confirmedOld = await order("confirmed", 120_000);
  const confirmedNew = await order("confirmed", 10_000);
  const cancelled = await order("cancelled", 5_000);
  return {
    buyer,
    merchant,
    expected: [stuckOld, stuckNewer, moving, confirmedNew, confirmedOld, cancelled].map((o) => o.id),
    stuck: [stuckOld.id, stuckNewer.id],
    confirmed: [confirmedNew.id, confirmedOld.id],
  };
}

describe("GET /console/orders", () => {
  it("lists stuck orders first, oldest first, then each status, last changed first", async () => {
    const { buyer, expected, stuck } = await aBuyersOrders();
    const res = await operator.get(`/console/orders?buyer=${buyer.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(listed(html)).toEqual(expected);
    expect(html.match(/>stuck \d/g)).toHaveLength(stuck.length);
    expect(nextLink(html)).toBeNull();
    expect(html).toContain('<label for="orders-status">Status</label>');
  });

  it("pages with a cursor across the parts of the list, and the last page has no next link", async () => {
    const { buyer, expected } = await aBuyersOrders();
    const seen: string[] = [];
    let url: string | null = `/console/orders?buyer=${buyer.id}&limit=2`;
    let pages = 0;
    while (url) {
      const html = await (await operator.get(url)).text();
      const ids = listed(html);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.length).toBeLessThanOrEqual(2);
      seen.push(...ids);
      url = nextLink(html);
      pages++;
      expect(pages).toBeLessThan(5);
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it("filters by status and by merchant (the merchants' desks)", async () => {
    const { buyer, merchant, confirmed, expected } = await aBuyersOrders();
    const byStatus = await (await operator.get(`/console/orders?buyer=${buyer.id}&status=confirmed`)).text();
    expect(listed(byStatus)).toEqual(confirmed);

    const now = Date.now();
    await getDb(env.DB)
      .insert(merchantOrders)
      .values(
        [expected[0]!, expected[3]!].map((orderId) => ({
          orderId,
          merchantId: merchant.id,
          status: "pending" as const,
          lines: [],
          subtotalMinor: 0,
          currency: "USD",
          version: 1,
          placedAt: now,
          updatedAt: now,
        })),
      );
    const byMerchant = await (await operator.get(`/console/orders?merchant=${merchant.id}`)).text();
    expect(listed(byMerchant)).toEqual([expected[0], expected[3]]);
    // An empty field of the filter form is no filter.
    const blank = await operator.get(`/console/orders?merchant=${merchant.id}&status=&buyer=`);
    expect(listed(await blank.text())).toEqual([expected[0], expected[3]]);
  });

  it("refuses a malformed cursor, one from other filters, an unknown status or parameter with a 400 page", async () => {
    const { buyer } = await aBuyersOrders();
    const first = await (await operator.get(`/console/orders?buyer=${buyer.id}&limit=1`)).text();
    const cursor = new URL(nextLink(first)!, "https://x").searchParams.get("cursor")!;
    expect((await operator.get(`/console/orders?buyer=${buyer.id}&limit=1&cursor=${cursor}`)).status).toBe(
      200,
    );

    for (const query of [
      `buyer=${buyer.id}&cursor=not-a-cursor`,
      `buyer=${buyer.id}&status=confirmed&cursor=${cursor}`,
      "status=shipped",
      "colour=red",
      "limit=1000",
    ]) {
      const res = await operator.get(`/console/orders?${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get("content-type")).toContain("text/html");
      expect(await res.text()).toContain('role="alert"');
    }
  });
});

describe("GET /console/orders/:id", () => {
  it("shows the saga's steps, the facts it published, its payment and its trace", async () => {
    const order = await anOrder(await aProduct(5));
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await settle(saga);

    const res = await operator.get(`/console/orders/${order.orderId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>Order <code>${order.orderId}</code></h1>`);
    for (const step of ["reserve-inventory", "authorize-payment", "confirm-order", "capture-payment"]) {
      expect(html).toContain(`<th scope="row" class="nowrap">${step}</th>`);
    }
    expect(html.match(/class="badge ok">succeeded</g)).toHaveLength(4);
    expect(html).toContain("release-inventory if cancelled");
    expect(html).toContain("Finished: nothing more happens on its own.");
    for (const fact of ["inventory.reserved", "payment.authorized", "order.confirmed", "payment.captured"]) {
      expect(html).toContain(`<th scope="row">${fact}</th>`);
    }
    expect(html).toMatch(/href="\/console\/events\/evt_[^"]+"/);
    // A saga started without its `order.placed` correlates its facts under the order's id.
    expect(html).toContain(`href="/console/traces/${order.orderId}"`);
    expect(html).toContain('<span class="badge ok">captured</span>');
    expect(html).toMatch(/<th scope="row">authorization<\/th>\s*<td>\s*<code>auth_/);
    expect(html).toMatch(/<th scope="row">capture<\/th>/);
  });

  it("shows a declined order's compensations: what each undo undid", async () => {
    const order = await anOrder(await aProduct(5), { paymentMethod: "pm_card_declined" });
    const saga = sagaFor(order.orderId);
    await saga.start(order);
    await settle(saga);

    const html = await (await operator.get(`/console/orders/${order.orderId}`)).text();
    expect(html).toContain('<span class="badge">cancelled</span>');
    expect(html).toContain("undone by release-inventory (succeeded)");
    expect(html).toContain("undoes reserve-inventory");
    expect(html).toContain('<th scope="row">order.cancelled</th>');
  });

  it("marks a stuck order whose saga never started", async () => {
    const buyer = await createTestUser("buyer");
    const merchant = await createTestUser("merchant");
    const stuck = await insertOrder(buyer.id, [await insertProduct(merchant.id)], {
      updatedAt: Date.now() - 120_000,
    });
    const html = await (await operator.get(`/console/orders/${stuck.id}`)).text();
    expect(html).toMatch(/class="badge danger">stuck for 2\.\d min</);
    expect(html).toContain("The saga has not started");
    expect(html).toContain("No facts in the outbox");
  });

  it("answers a 404 page for an unknown or over-long id", async () => {
    for (const id of ["ord_never_placed", "o".repeat(200)]) {
      const res = await operator.get(`/console/orders/${id}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("<h1>No such order</h1>");
    }
  });
});
