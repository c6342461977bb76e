/**
 * The final state a game day is checked against, read once after quiescence: D1 and the payment
 * sandbox from the state files, and product search through the public API (what "searchable" means
 * to a client). Plain data, so check.ts is a pure function of (history, state).
 */
import type { ApiClient } from "./client";
import type { StateReader } from "./state";

export interface FinalState {
  orders: { id: string; quote_id: string; status: string; updated_at: number }[];
  orderViews: { id: string; status: string }[];
  /** The facts that email, by event id: type and subject (order, report or user id). */
  emailFacts: { id: string; type: string; subject: string }[];
  mailbox: { to: string; template: string; event_id: string; sent_at: number }[];
  settlementEntries: { order_id: string; kind: string; n: number }[];
  stock: { id: string; stock: number }[];
  /** Units still held by reservations of orders that never finished, per product. */
  reserved: { product_id: string; quantity: number }[];
  users: { id: string; email: string }[];
  analyticsIds: { event_id: string; product_id: string | null }[];
  productViews: { product_id: string; views: number }[];
  jobs: { id: string; status: string; updated_at: number }[];
  /** Per sandbox authorization: its order, status and how many captures it has. */
  payments: { order_id: string; status: string; captures: number }[];
  /** SKUs found by GET /v1/products?q=<the import's title token>. */
  searchableSkus: string[];
  /** Context for the report: left-over work the runtime still holds. */
  outboxUnpublished: number;
  deadLetters: number;
}

const inList = (ids: readonly string[]) =>
  ids.map((id) => `'${id.replaceAll("'", "''")}'`).join(", ") || "''";

async function searchSkus(api: ApiClient, token: string): Promise<string[]> {
  const skus: string[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ q: token, limit: "100", ...(cursor ? { cursor } : {}) });
    const page: { items: { sku: string }[]; nextCursor: string | null } = await api.must({
      method: "GET",
      path: `/v1/products?${qs}`,
    });
    skus.push(...page.items.map((p) => p.sku));
    cursor = page.nextCursor;
  } while (cursor);
  return skus;
}

export async function readFinalState(
  state: StateReader,
  api: ApiClient,
  run: {
    products: string[];
    merchantId: string;
    eventIdPrefix: string;
    titleToken: string;
    /**
     * When the run began (epoch ms): only what was created since counts, so a run against a
     * long-lived `npm start` database is not judged by earlier work. 0 for a fresh state directory.
     */
    since?: number;
    /** The run's sign-up addresses start with this (see `signupEmail`). */
    signupPrefix?: string;
  },
): Promise<FinalState> {
  const count = (sql: string) => state.d1<{ n: number }>(sql)[0]?.n ?? 0;
  const since = run.since ?? 0;
  return {
    orders: state.d1("SELECT id, quote_id, status, updated_at FROM orders WHERE created_at >= ?", [since]),
    orderViews: state.d1(
      "SELECT v.id, v.status FROM order_views v JOIN orders o ON o.id = v.id WHERE o.created_at >= ?",
      [since],
    ),
    emailFacts: state.d1(
      "SELECT id, type, subject FROM outbox WHERE type IN ('user.registered', 'order.confirmed', 'order.cancelled', 'report.generated') AND created_at >= ?",
      [since],
    ),
    mailbox: state.d1('SELECT "to", template, event_id, sent_at FROM mailbox WHERE sent_at >= ?', [since]),
    settlementEntries: state.d1(
      "SELECT order_id, kind, count(*) AS n FROM settlement_entries GROUP BY order_id, kind",
    ),
    stock: state.d1(`SELECT id, stock FROM products WHERE id IN (${inList(run.products)})`),
    reserved: state.d1(
      "SELECT product_id, sum(quantity) AS quantity FROM inventory_reservations WHERE state = 'reserved' GROUP BY product_id",
    ),
    users: state.d1("SELECT id, email FROM users WHERE email LIKE ?", [
      `${run.signupPrefix ?? ""}%@gameday.crossdock`,
    ]),
    analyticsIds: state.d1(
      "SELECT event_id, product_id FROM analytics_event_ids WHERE owner_id = ? AND event_id LIKE ?",
      [run.merchantId, `${run.eventIdPrefix}%`],
    ),
    productViews: state.d1(
      `SELECT product_id, sum(views) AS views FROM product_daily_metrics WHERE product_id IN (${inList(run.products)}) GROUP BY product_id`,
    ),
    jobs: state.d1("SELECT id, status, updated_at FROM jobs WHERE created_at >= ?", [since]),
    payments: state.sandbox(
      "SELECT a.order_id, a.status, (SELECT count(*) FROM captures c WHERE c.authorization_id = a.id) AS captures FROM authorizations a",
    ),
    searchableSkus: await searchSkus(api, run.titleToken),
    outboxUnpublished: count(
      `SELECT count(*) AS n FROM outbox WHERE published_at IS NULL AND created_at >= ${since}`,
    ),
    deadLetters: count(
      `SELECT count(*) AS n FROM dead_letters WHERE status = 'dead' AND last_failed_at >= ${since}`,
    ),
  };
}
