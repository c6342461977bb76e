import { describe, expect, it } from "vitest";
import { createTestApiKey } from "../../support/api-keys";
import { insertProduct } from "../../support/catalog";
import { call } from "../../support/http";
import { confirmedFact, DESK_QUEUE, toDesks } from "../../support/merchant-orders";
import { insertOrder, updateOrder } from "../../support/orders";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const DAY = 86_400_000;
const MARCH_5 = Date.parse("2026-03-05T10:00:00Z");

interface DeskOrder {
  id: string;
  status: string;
  placedAt: string;
  subtotal: number;
  currency: string;
  lines: { productId: string; title: string; quantity: number; unitPrice: number; lineTotal: number }[];
}
interface DeskPage {
  items: DeskOrder[];
  nextCursor: string | null;
}

async function aMerchantWithProduct(priceMinor = 1250, title = "Blue mug") {
  const merchant = await createTestUser("merchant");
  const product = await insertProduct(merchant.id, { priceMinor, title });
  return { merchant, product };
}

/** Orders of one product, placed at the given times, each delivered to the desks. */
async function ordersAt(product: Awaited<ReturnType<typeof insertProduct>>, times: number[]) {
  const buyer = await createTestUser("buyer");
  const orders = [];
  for (const createdAt of times) orders.push(await insertOrder(buyer.id, [product], { createdAt }));
  await toDesks(...orders);
  return orders;
}

const list = async (auth: { authorization: string }, query = "") => {
  const res = await call(`/v1/merchant/orders${query}`, { headers: auth });
  return { res, body: (await res.json()) as DeskPage & { errors?: { field: string }[]; type?: string } };
};

describe("GET /v1/merchant/orders", () => {
  it("shows each of two merchants in one order only their own lines and subtotal", async () => {
    const mia = await aMerchantWithProduct(1250, "Blue mug");
    const omar = await aMerchantWithProduct(4000, "Desk lamp");
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mia.product, omar.product]);
    await toDesks(order);

    const forMia = await list(mia.merchant.auth);
    expect(forMia.res.status).toBe(200);
    expect(forMia.body.items).toEqual([
      {
        id: order.id,
        status: "pending",
        placedAt: new Date(order.createdAt).toISOString(),
        updatedAt: new Date(order.updatedAt).toISOString(),
        lines: [
          {
            productId: mia.product.id,
            title: "Blue mug",
            quantity: 1,
            unitPrice: 1250,
            lineTotal: 1250,
            currency: "USD",
          },
        ],
        subtotal: 1250,
        currency: "USD",
      },
    ]);
    expect(forMia.body.nextCursor).toBeNull();

    const forOmar = await call(`/v1/merchant/orders/${order.id}`, { headers: omar.merchant.auth });
    expect(forOmar.status).toBe(200);
    const omarView = (await forOmar.json()) as DeskOrder;
    expect(omarView.lines.map((l) => l.productId)).toEqual([omar.product.id]);
    expect(omarView.subtotal).toBe(4000);
    // The buyer paid both lines plus shipping; neither merchant is shown that total.
    expect(JSON.stringify(omarView)).not.toContain(String(order.totalMinor));
  });

  it("filters by status and by inclusive UTC days on placedAt", async () => {
    const { merchant, product } = await aMerchantWithProduct();
    const [early, onFifth, lateFifth, onSixth] = await ordersAt(product, [
      MARCH_5 - DAY,
      Date.parse("2026-03-05T00:00:00Z"),
      Date.parse("2026-03-05T23:59:59.999Z"),
      MARCH_5 + DAY,
    ]);
    await updateOrder(onSixth!.id, { status: "confirmed", version: 5 });
    await deliver(DESK_QUEUE, [{ body: confirmedFact(onSixth!) }]);

    const fifth = await list(merchant.auth, "?from=2026-03-05&to=2026-03-05");
    expect(fifth.body.items.map((o) => o.id)).toEqual([lateFifth!.id, onFifth!.id]);
    const fromFifth = await list(merchant.auth, "?from=2026-03-05");
    expect(fromFifth.body.items.map((o) => o.id)).toEqual([onSixth!.id, lateFifth!.id, onFifth!.id]);
    const toFourth = await list(merchant.auth, "?to=2026-03-04");
    expect(toFourth.body.items.map((o) => o.id)).toEqual([early!.id]);
    const confirmed = await list(merchant.auth, "?status=confirmed");
    expect(confirmed.body.items.map((o) => [o.id, o.status])).toEqual([[onSixth!.id, "confirmed"]]);
    const pendingOnFifth = await list(merchant.auth, "?status=pending&from=2026-03-05");
    expect(pendingOnFifth.body.items).toHaveLength(2);
  });

  it("pages newest first, walking every row exactly once (ties on placedAt included)", async () => {
    const { merchant, product } = await aMerchantWithProduct();
    const times = [MARCH_5, MARCH_5, MARCH_5 + 1000, MARCH_5 - DAY, MARCH_5 + DAY, MARCH_5];
    const orders = await ordersAt(product, times);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const { res, body } = await list(merchant.auth, q);
      expect(res.status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((o) => o.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    const newestFirst = [...orders]
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((o) => o.id);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(3);
  });

  it("refuses unknown parameters, a cursor from other filters, and from after to, naming them", async () => {
    const { merchant, product } = await aMerchantWithProduct();
    await ordersAt(product, [MARCH_5, MARCH_5 + 1]);
    const unknown = await list(merchant.auth, "?state=pending&merchantId=x");
    expect(unknown.res.status).toBe(400);
    expect(unknown.res.headers.get("content-type")).toContain("application/problem+json");
    expect(unknown.body.errors?.map((e) => e.field).sort()).toEqual(["merchantId", "state"]);

    const first = await list(merchant.auth, "?limit=1");
    const foreign = await list(merchant.auth, `?limit=1&status=pending&cursor=${first.body.nextCursor}`);
    expect(foreign.res.status).toBe(400);
    expect(foreign.body.type).toContain("invalid-cursor");

    const backwards = await list(merchant.auth, "?from=2026-03-06&to=2026-03-05");
    expect(backwards.res.status).toBe(400);
    expect(backwards.body.errors?.map((e) => e.field)).toEqual(["from"]);
    const notADay = await list(merchant.auth, "?from=2026-02-30&limit=101");
    expect(notADay.body.errors?.map((e) => e.field).sort()).toEqual(["from", "limit"]);
  });
});

describe("GET /v1/merchant/orders/:id", () => {
  it("answers 404 for another merchant's order and for an unknown id alike", async () => {
    const mia = await aMerchantWithProduct();
    const omar = await aMerchantWithProduct();
    const [miaOrder] = await ordersAt(mia.product, [MARCH_5]);
    const other = await call(`/v1/merchant/orders/${miaOrder!.id}`, { headers: omar.merchant.auth });
    expect(other.status).toBe(404);
    const unknown = await call("/v1/merchant/orders/ord_nope", { headers: omar.merchant.auth });
    expect(unknown.status).toBe(404);
    expect(await other.json()).toMatchObject({ status: 404 });
    const own = await call(`/v1/merchant/orders/${miaOrder!.id}`, { headers: mia.merchant.auth });
    expect(own.status).toBe(200);
  });
});

describe("who may read the order desk", () => {
  it("a key with orders:read works here and is refused (403) everywhere else", async () => {
    const { merchant, product } = await aMerchantWithProduct();
    const [order] = await ordersAt(product, [MARCH_5]);
    const { auth } = await createTestApiKey(merchant.id, ["orders:read"]);

    const listed = await list(auth);
    expect(listed.res.status).toBe(200);
    expect(listed.body.items.map((o) => o.id)).toEqual([order!.id]);
    expect((await call(`/v1/merchant/orders/${order!.id}`, { headers: auth })).status).toBe(200);

    for (const path of [
      "/v1/orders",
      `/v1/orders/${order!.id}`,
      "/v1/settlements",
      "/v1/me",
      "/v1/api-keys",
      "/ops/alerts",
    ]) {
      expect([path, (await call(path, { headers: auth })).status]).toEqual([path, 403]);
    }
    const report = await call("/v1/reports", {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ type: "sales", from: "2026-03-01", to: "2026-03-31" }),
    });
    expect(report.status).toBe(403);
  });

  it("a key without orders:read gets 403 here; a buyer 403; no token 401", async () => {
    const { merchant } = await aMerchantWithProduct();
    const { auth } = await createTestApiKey(merchant.id, ["reports:read", "catalog:write"]);
    expect((await list(auth)).res.status).toBe(403);
    const buyer = await createTestUser("buyer");
    expect((await list(buyer.auth)).res.status).toBe(403);
    expect((await call("/v1/merchant/orders/ord_x", { headers: buyer.auth })).status).toBe(403);
    expect((await call("/v1/merchant/orders")).status).toBe(401);
  });
});
