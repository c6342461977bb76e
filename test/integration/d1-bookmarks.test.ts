import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/platform/clock";
import { readCounters, resetCounters } from "../../src/platform/costs/meter";
import { shardCount, shardIndexOf } from "../../src/platform/db/shards";
import { consistencyToken, parseConsistencyToken } from "../../src/routes/checkout/orders/consistency-token";
import { insertProduct } from "../support/catalog";
import { call, callWith, postJson } from "../support/http";
import { insertOrder } from "../support/orders";
import type { TestProduct } from "../support/products";
import { createTestUser, type TestUser } from "../support/users";
import { WEB_COOKIE } from "../support/web";

/*
 * Read replication with D1 sessions and bookmarks (issue 16). Locally there is ONE database: every
 * session is the primary, so a stale replica cannot be shown. What is tested is the contract a replica
 * relies on: every session route answers with its bookmark, a bookmark the client sends is where its
 * session starts (D1 is asked for exactly it, and the answer's bookmark is not older), and the
 * consistency token carries the write's bookmark to GET /v1/orders.
 */

const HEADER = "x-d1-bookmark";
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

let merchant: TestUser;
let mug: TestProduct;

beforeAll(async () => {
  merchant = await createTestUser("merchant");
  mug = await insertProduct(merchant.id, { title: "Bookmark mug", priceMinor: 1250, stock: 50 });
});

const bookmarkOf = (res: Response) => res.headers.get(HEADER) ?? "";

/** The app over a DB binding that notes what each D1 session was opened from (real local D1 beneath). */
function recordingSessions() {
  const opened: (string | undefined)[] = [];
  const DB = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "withSession") {
        return (from?: string) => {
          opened.push(from);
          return target.withSession(from);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { opened, fetch: callWith({ clock: systemClock, bindings: { DB } }) };
}

const quoteBody = () => ({ items: [{ productId: mug.id, quantity: 1 }], shipTo: { country: "US" } });
const postQuote = (buyer: TestUser, headers: Record<string, string> = {}) =>
  postJson("/v1/quotes", quoteBody(), { ...buyer.auth, ...headers });

describe("x-d1-bookmark on the session routes (one local database)", () => {
  it("answers the synchronous reads with the session's bookmark", async () => {
    // A buyer whose order list lives in the main database (shard 0; every buyer when unsharded): a list
    // served from another shard reads nothing there and carries no bookmark (docs/API.md).
    let buyer = await createTestUser("buyer");
    while (shardIndexOf(buyer.id, shardCount(env)) !== 0) buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug]);
    const quote = await (await postQuote(buyer)).json<{ id: string }>();
    for (const [path, init] of [
      ["/v1/products?q=bookmark", {}],
      [`/v1/products/${mug.id}`, {}],
      [`/v1/quotes/${quote.id}`, { headers: buyer.auth }],
      [`/v1/orders/${order.id}`, { headers: buyer.auth }],
      ["/v1/orders", { headers: buyer.auth }],
    ] as const) {
      const res = await call(path, init);
      expect(res.status, path).toBe(200);
      expect(bookmarkOf(res), path).toMatch(BOOKMARK);
    }
  });

  it("answers the buyer's writes with a bookmark at or past what they read before", async () => {
    const buyer = await createTestUser("buyer");
    const before = bookmarkOf(await call(`/v1/products/${mug.id}`));
    const quoted = await postQuote(buyer);
    expect(quoted.status).toBe(200);
    const afterQuote = bookmarkOf(quoted);
    expect(afterQuote >= before).toBe(true);
    const { id: quoteId } = await quoted.json<{ id: string }>();

    const placed = await postJson(
      "/v1/orders",
      { quoteId, paymentMethod: "pm_card_visa" },
      { ...buyer.auth, "idempotency-key": crypto.randomUUID() },
    );
    expect(placed.status).toBe(202);
    expect(bookmarkOf(placed) > afterQuote).toBe(true); // it wrote after the quote's write
    const { id } = await placed.json<{ id: string }>();

    const cancelled = await call(`/v1/orders/${id}/cancel`, { method: "POST", headers: buyer.auth });
    expect(cancelled.status).toBe(202);
    expect(bookmarkOf(cancelled) >= bookmarkOf(placed)).toBe(true);
  });

  it("starts the session from the bookmark the client sent", async () => {
    const buyer = await createTestUser("buyer");
    const sent = bookmarkOf(await postQuote(buyer));
    const { opened, fetch } = recordingSessions();

    const read = await fetch(`/v1/products/${mug.id}`, { headers: { [HEADER]: sent } });
    expect(read.status).toBe(200);
    expect(opened).toEqual([sent]);
    expect(bookmarkOf(read) >= sent).toBe(true);

    // Without one, a read may start anywhere and a write on the primary.
    await fetch(`/v1/products/${mug.id}`);
    await fetch("/v1/quotes", {
      method: "POST",
      headers: { ...buyer.auth, "content-type": "application/json" },
      body: JSON.stringify(quoteBody()),
    });
    expect(opened.slice(1)).toEqual(["first-unconstrained", "first-primary"]);
  });

  it("refuses a malformed bookmark with 400 invalid-d1-bookmark, on reads and writes alike", async () => {
    const buyer = await createTestUser("buyer");
    for (const bad of ["first-primary", "not a bookmark", "0".repeat(200)]) {
      for (const res of [
        await call(`/v1/products/${mug.id}`, { headers: { [HEADER]: bad } }),
        await postQuote(buyer, { [HEADER]: bad }),
      ]) {
        expect(res.status, bad).toBe(400);
        expect((await res.json<{ type: string }>()).type).toBe("/problems/invalid-d1-bookmark");
      }
    }
  });

  it("meters the session's reads for the route's flow", async () => {
    resetCounters();
    expect((await call(`/v1/products/${mug.id}`)).status).toBe(200);
    const catalog = readCounters().total.flows.catalog;
    expect(catalog?.d1Queries).toBeGreaterThanOrEqual(1);
    expect(catalog?.d1RowsRead).toBeGreaterThanOrEqual(1);
    expect(catalog?.d1QueriesWithoutMeta).toBe(0);
  });
});

describe("the consistency token carries the write's bookmark", () => {
  it("hands the order's bookmark to GET /v1/orders, whose session starts from it", async () => {
    const buyer = await createTestUser("buyer");
    const { id: quoteId } = await (await postQuote(buyer)).json<{ id: string }>();
    const placed = await postJson(
      "/v1/orders",
      { quoteId, paymentMethod: "pm_card_visa" },
      { ...buyer.auth, "idempotency-key": crypto.randomUUID() },
    );
    const { consistencyToken: token } = await placed.json<{ consistencyToken: string }>();
    const point = parseConsistencyToken(token);
    expect(point.bookmark).toBe(bookmarkOf(placed));

    const { opened, fetch } = recordingSessions();
    const listed = await fetch(`/v1/orders?consistencyToken=${token}`, { headers: buyer.auth });
    expect(listed.status).toBe(200);
    expect(opened).toEqual([point.bookmark]);
    // The later of the token's and the header's wins.
    const later = bookmarkOf(await call(`/v1/products/${mug.id}`));
    await fetch(`/v1/orders?consistencyToken=${token}`, { headers: { ...buyer.auth, [HEADER]: later } });
    expect(later >= (point.bookmark ?? "")).toBe(true);
    expect(opened[1]).toBe(later);
  });

  it("still takes a token issued before bookmarks, starting the session unconstrained", async () => {
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug]);
    const old = consistencyToken({ orderId: order.id, version: 1 });
    expect(parseConsistencyToken(old).bookmark).toBeUndefined();
    const { opened, fetch } = recordingSessions();
    const res = await fetch(`/v1/orders?consistencyToken=${old}`, { headers: buyer.auth });
    expect(res.status).toBe(200);
    expect(opened).toEqual(["first-unconstrained"]);
  });
});

describe("the storefront carries the bookmark", () => {
  it("starts a page's API calls from the bookmark cookie a form post left", async () => {
    const buyer = await createTestUser("buyer");
    const order = await insertOrder(buyer.id, [mug]);
    const kept = bookmarkOf(await postQuote(buyer));
    const { opened, fetch } = recordingSessions();
    const page = await fetch(`/shop/orders/${order.id}`, {
      headers: { cookie: `${WEB_COOKIE}=${buyer.token}; __Host-crossdock-d1-bookmark=${kept}` },
    });
    expect(page.status).toBe(200);
    expect(opened).toContain(kept);
  });
});
