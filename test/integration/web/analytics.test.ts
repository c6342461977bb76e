import { beforeAll, describe, expect, it } from "vitest";
import { consumedFor, countersOf, todayAt } from "../../support/analytics";
import { eventually } from "../../support/events";
import { call } from "../../support/http";
import { insertProducts, type TestProduct } from "../../support/products";
import { createTestUser, type TestUser } from "../../support/users";
import { WEB_COOKIE, webVisitor } from "../../support/web";

let merchant: TestUser;
let kettle: TestProduct;

beforeAll(async () => {
  merchant = await createTestUser("merchant");
  [kettle] = (await insertProducts(merchant.id, [{ title: "Kettle" }])) as [TestProduct];
});

/** What public/web/analytics.js sends: JSON, same origin, the session cookie riding along. */
function report(body: string, { token, requestId }: { token?: string; requestId?: string } = {}) {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (token) headers.cookie = `${WEB_COOKIE}=${token}`;
  if (requestId) headers["x-request-id"] = requestId;
  return call("/shop/analytics", { method: "POST", headers, body });
}

const viewOf = (product: TestProduct, id = crypto.randomUUID()) => ({
  id,
  type: "product.viewed",
  occurredAt: todayAt().at,
  productId: product.id,
});

describe("POST /shop/analytics, the storefront script's way to POST /v1/events", () => {
  it("forwards the batch as the signed-in person and counts a resent id once", async () => {
    const { day } = todayAt();
    const batch = JSON.stringify({ events: [viewOf(kettle), viewOf(kettle)] });
    for (const round of [1, 2]) {
      const requestId = `web-analytics-${round}-${crypto.randomUUID()}`;
      const res = await report(batch, { token: merchant.token, requestId });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
      await eventually(() => consumedFor(requestId));
    }
    expect((await countersOf(kettle.id, day)).views).toBe(2);
  });

  it("reports a buyer's shopping once per product and day, and refuses someone signed out", async () => {
    const buyer = await createTestUser("buyer");
    const [teapot] = (await insertProducts(merchant.id, [{ title: "Teapot" }])) as [TestProduct];
    const { day } = todayAt();
    for (const round of [1, 2]) {
      const requestId = `web-shopper-${round}-${crypto.randomUUID()}`;
      const batch = JSON.stringify({ events: [viewOf(teapot), viewOf(teapot)] });
      const res = await report(batch, { token: buyer.token, requestId });
      expect(res.status).toBe(202);
      await eventually(() => consumedFor(requestId));
    }
    expect((await countersOf(teapot.id, day)).views).toBe(1);

    const anonymous = await report(JSON.stringify({ events: [viewOf(kettle)] }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers a malformed batch with a 400 problem, never a 500", async () => {
    for (const body of ["{not json", JSON.stringify({ events: "many" }), JSON.stringify({ nope: [] })]) {
      const res = await report(body, { token: merchant.token });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { status: number }).status).toBe(400);
    }
    const form = await call("/shop/analytics", {
      method: "POST",
      headers: { "content-type": "text/plain", accept: "application/json", origin: "https://crossdock.test" },
      body: "events",
    });
    expect(form.status).toBe(400);
  });

  it("loads the script on the pages only for someone the API lets report", async () => {
    const path = `/shop/products/${kettle.id}`;
    const script = '<script type="module" src="/web/analytics.js">';
    const asMerchant = await (await webVisitor()).get(path, { cookie: `${WEB_COOKIE}=${merchant.token}` });
    const page = await asMerchant.text();
    expect(page).toContain(script);
    expect(page).toContain(`data-analytics-view="product.viewed" data-product-id="${kettle.id}"`);
    expect(await (await (await webVisitor("buyer")).get(path)).text()).toContain(script);
    expect(await (await (await webVisitor()).get(path)).text()).not.toContain(script);
  });
});
