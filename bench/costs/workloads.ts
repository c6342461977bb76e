/**
 * The four things bench:costs drives through the production bundle, each through its public API as a
 * client would: sign-ups, checkouts (quote, then order), catalog-import rows, analytics events.
 */
import { mulberry32, type Random } from "../../scripts/demo-data/prng";
import { catalogFile } from "../seed/catalog-file";
import type { SeededSession } from "../seed/sessions";

export const WORKLOADS = [
  "sign-ups",
  "checkouts",
  "imported rows",
  "analytics events",
  "analytics events, all distinct",
] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Actors {
  url: URL;
  buyers: SeededSession[];
  merchant: SeededSession;
  productIds: string[];
}

const json = (token: string | null, body: unknown, extra: Record<string, string> = {}) => ({
  method: "POST",
  headers: {
    "content-type": "application/json",
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  },
  body: JSON.stringify(body),
});

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status)
    throw new Error(`${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** Runs `count` tasks, `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(count, concurrency) }, worker));
}

/**
 * A product drawn Zipf(1) from `ids` (the k-th most viewed gets views in proportion to 1/k), as
 * storefront views are skewed towards a few products.
 */
function zipf(ids: readonly string[], rnd: Random): string {
  const total = ids.reduce((s, _, k) => s + 1 / (k + 1), 0);
  let x = rnd() * total;
  for (let k = 0; k < ids.length; k++) {
    x -= 1 / (k + 1);
    if (x <= 0) return ids[k]!;
  }
  return ids[ids.length - 1]!;
}

/** Drives `n` units of `workload` (round `round` keeps each round's data new) and returns the units done. */
export async function drive(a: Actors, workload: Workload, n: number, round: number): Promise<number> {
  const at = (path: string) => new URL(path, a.url);
  switch (workload) {
    case "sign-ups":
      await pool(n, 8, async (i) => {
        const email = `costs-${round}-${i}-${crypto.randomUUID()}@bench.crossdock.example`;
        const body = { email, password: "correct horse battery staple", name: "Bench", role: "buyer" };
        await expectStatus(await fetch(at("/v1/auth/signup"), json(null, body)), 201, "sign-up");
      });
      return n;
    case "checkouts":
      await pool(n, 16, async (i) => {
        const buyer = a.buyers[i % a.buyers.length]!;
        const productId = a.productIds[(round * n + i) % a.productIds.length]!;
        const quote = { items: [{ productId, quantity: 1 }], shipTo: { country: "US" } };
        const q = await expectStatus(await fetch(at("/v1/quotes"), json(buyer.token, quote)), 200, "quote");
        const { id } = (await q.json()) as { id: string };
        const order = { quoteId: id, paymentMethod: "pm_card_visa" };
        const headers = { "idempotency-key": crypto.randomUUID() };
        await expectStatus(await fetch(at("/v1/orders"), json(buyer.token, order, headers)), 202, "order");
      });
      return n;
    case "imported rows": {
      const res = await fetch(at("/v1/catalog/imports"), {
        method: "POST",
        headers: { authorization: `Bearer ${a.merchant.token}`, "content-type": "application/x-ndjson" },
        body: catalogFile(n, a.merchant.userId, 1000 + round),
      });
      await expectStatus(res, 202, "catalog import");
      return n;
    }
    case "analytics events":
    case "analytics events, all distinct": {
      // Realistic: products drawn Zipf(1). Worst case: every event of a request a different product,
      // so each event is also a new row in the daily counters.
      const rnd = mulberry32(round * 7919 + 1);
      const productOf = (i: number) =>
        workload === "analytics events" ? zipf(a.productIds, rnd) : a.productIds[i % a.productIds.length]!;
      const perRequest = 500;
      const requests = Math.ceil(n / perRequest);
      await pool(requests, 4, async (r) => {
        const events = Array.from({ length: Math.min(perRequest, n - r * perRequest) }, (_, k) => ({
          type: "product.viewed",
          productId: productOf(r * perRequest + k),
          sessionId: `s-${round}-${r}-${k % 50}`,
        }));
        await expectStatus(await fetch(at("/v1/events"), json(a.merchant.token, { events })), 202, "events");
      });
      return n;
    }
  }
}
