import { env } from "cloudflare:workers";
import { call, postJson } from "./http";

export const ANALYTICS_QUEUE = "crossdock-analytics";

/** A moment in today's UTC day (noon, or now if that is still ahead), and that day. */
export function todayAt(now = Date.now()): { at: string; day: string } {
  const day = new Date(now).toISOString().slice(0, 10);
  const noon = Date.parse(`${day}T12:00:00Z`);
  return { at: new Date(Math.min(noon, now)).toISOString(), day };
}

export const postEvents = (
  events: unknown[],
  auth: Record<string, string>,
  headers: Record<string, string> = {},
) => postJson("/v1/events", { events }, { ...auth, ...headers });

export interface DailyMetrics {
  productId: string;
  from: string;
  to: string;
  days: {
    day: string;
    views: number;
    addToCarts: number;
    removesFromCart: number;
    checkoutsStarted: number;
  }[];
}

export const readDaily = (productId: string, auth: Record<string, string>, query = "") =>
  call(`/v1/analytics/products/${productId}/daily${query}`, { headers: auth });

/** The product's counters for one day straight from the read model (zeros when no row). */
export async function countersOf(productId: string, day: string) {
  const row = await env.DB.prepare(
    "SELECT views, add_to_carts, removes_from_cart, checkouts_started FROM product_daily_metrics WHERE product_id = ? AND day = ?",
  )
    .bind(productId, day)
    .first<Record<string, number>>();
  return row ?? { views: 0, add_to_carts: 0, removes_from_cart: 0, checkouts_started: 0 };
}

export async function searchesOf(day: string, query: string): Promise<number> {
  const row = await env.DB.prepare("SELECT searches FROM search_daily_metrics WHERE day = ? AND query = ?")
    .bind(day, query)
    .first<{ searches: number }>();
  return row?.searches ?? 0;
}

/** Whether the analytics consumer has finished the messages a request (by its request id) queued. */
export async function consumedFor(requestId: string): Promise<number | null> {
  const row = await env.DB.prepare(
    "SELECT count(*) AS n FROM consumer_attempts WHERE consumer = 'analytics' AND correlation_id = ? AND outcome IN ('acked', 'duplicate')",
  )
    .bind(requestId)
    .first<{ n: number }>();
  return row && row.n > 0 ? row.n : null;
}
