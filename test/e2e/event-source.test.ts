import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrderLine } from "../../src/flows/checkout/schemas";
import { SERVED_PORTS, type ServedWorker, startServedWorker } from "../support/served-worker";

// A real EventSource needs a real socket, which tests inside workerd do not have: this one runs in Node
// against the production bundle served by Miniflare on a port of its own.
let server: ServedWorker;
let db: D1Database;
let base: string;

beforeAll(async () => {
  server = await startServedWorker(SERVED_PORTS.e2e);
  ({ db, url: base } = server);
}, 120_000);

afterAll(() => server?.stop());

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Buffer.from(digest).toString("hex");
}

/** A user with a live session, written straight into D1 (as the workerd tests' createTestUser). */
async function aUser(role: "buyer" | "merchant") {
  const id = `usr_sse_${crypto.randomUUID().slice(0, 8)}`;
  const token = `cds_${crypto.randomUUID().replaceAll("-", "")}`;
  const now = Date.now();
  await db.batch([
    db
      .prepare(
        "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
      )
      .bind(id, `${id}@test.crossdock`, role === "buyer" ? "Ada" : "Mia", role, now),
    db
      .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .bind(await sha256Hex(token), id, now, now + 3_600_000),
  ]);
  return { id, token };
}

/**
 * A buyer's order as POST /v1/orders leaves it (the `orders` row, pending, version 1), for a merchant's
 * product in stock. Nothing has started its saga: the stream handler starts it from the row.
 */
async function aPendingOrder(paymentMethod: string) {
  const merchant = await aUser("merchant");
  const buyer = await aUser("buyer");
  const suffix = crypto.randomUUID().slice(0, 8);
  const productId = `prd_sse_${suffix}`;
  const orderId = `ord_sse_${suffix}`;
  const price = 1250;
  const now = Date.now();
  const lines: OrderLine[] = [
    {
      productId,
      title: "Blue mug",
      category: "kitchen",
      quantity: 1,
      unitPrice: price,
      lineSubtotal: price,
      discount: 0,
      tax: 0,
      total: price,
      merchantId: merchant.id,
    },
  ];
  await db.batch([
    db
      .prepare(
        `INSERT INTO products (id, merchant_id, sku, title, description, category, price_minor, currency, stock, created_at, updated_at)
         VALUES (?, ?, ?, 'Blue mug', 'A mug', 'kitchen', ?, 'USD', 5, ?, ?)`,
      )
      .bind(productId, merchant.id, `SKU-${suffix}`, price, now, now),
    db
      .prepare(
        `INSERT INTO orders (id, buyer_id, quote_id, payment_method, lines, merchant_ids, subtotal_minor, discount_minor,
           shipping_minor, tax_minor, total_minor, currency, status, status_message, version, cancel_reason, steps,
           created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 'USD', 'pending', 'We''re processing your order', 1, NULL, '[]', ?, ?)`,
      )
      .bind(
        orderId,
        buyer.id,
        `qt_sse_${suffix}`,
        paymentMethod,
        JSON.stringify(lines),
        JSON.stringify([merchant.id]),
        price,
        price,
        now,
        now,
      ),
  ]);
  return { buyer, orderId };
}

interface Followed {
  events: { id: string; data: unknown }[];
  /** Every HTTP answer the client got, in order. */
  statuses: number[];
}

/**
 * Follows a stream with the `eventsource` package as a browser would, until the client closes by itself
 * (a 204 makes it stop). Bounded: fails instead of reconnecting forever.
 */
function follow(url: string, token: string, eventName: string): Promise<Followed> {
  const out: Followed = { events: [], statuses: [] };
  return new Promise((resolve, reject) => {
    const es = new EventSource(url, {
      fetch: async (input, init) => {
        const res = await fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${token}` },
        });
        out.statuses.push(res.status);
        return res;
      },
    });
    const timer = setTimeout(() => {
      es.close();
      reject(new Error(`still open after 20 s: ${JSON.stringify(out)}`));
    }, 20_000);
    es.addEventListener(eventName, (e) => out.events.push({ id: e.lastEventId, data: JSON.parse(e.data) }));
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return;
      clearTimeout(timer);
      resolve(out);
    };
  });
}

describe("an EventSource follows a stream to its end and stops", () => {
  it("job stream: the terminal event once, one reconnection, 204, closed", async () => {
    const merchant = await aUser("merchant");
    const jobId = `job_sse_${crypto.randomUUID().slice(0, 8)}`;
    const now = Date.now();
    await db
      .prepare(
        "INSERT INTO jobs (id, owner_id, type, status, version, created_at, updated_at) VALUES (?, ?, 'report', 'failed', 3, ?, ?)",
      )
      .bind(jobId, merchant.id, now, now)
      .run();
    const followed = await follow(`${base}/v1/jobs/${jobId}/stream`, merchant.token, "job");
    expect(followed.events).toEqual([{ id: "3", data: expect.objectContaining({ status: "failed" }) }]);
    expect(followed.statuses).toEqual([200, 204]);
  });

  it.each([
    { paymentMethod: "pm_card_visa", terminal: "confirmed" },
    { paymentMethod: "pm_card_declined", terminal: "cancelled" },
  ])(
    "order stream ($paymentMethod): the saga runs to $terminal, sent once, then one reconnection, 204, closed",
    async ({ paymentMethod, terminal }) => {
      const { buyer, orderId } = await aPendingOrder(paymentMethod);
      const followed = await follow(`${base}/v1/orders/${orderId}/stream`, buyer.token, "status");
      // Every change on the way (a confirmed order is terminal only once its payment is captured), then
      // the terminal event, once and last.
      const updates = followed.events.map((e) => e.data as { status: string; terminal: boolean });
      expect(updates.filter((u) => u.terminal)).toEqual([expect.objectContaining({ status: terminal })]);
      expect(updates.at(-1)).toMatchObject({ status: terminal, terminal: true });
      const versions = followed.events.map((e) => Number(e.id));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      expect(followed.statuses).toEqual([200, 204]);
    },
  );
});
