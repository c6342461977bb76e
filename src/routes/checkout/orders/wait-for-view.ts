import { and, eq, gte } from "drizzle-orm";
import { orderViews } from "../../../flows/checkout/schema";
import type { Db } from "../../../platform/db/client";
import type { ConsistencyPoint } from "./consistency-token";

/** How long a read with a consistency token waits for the read model, and how often it looks. */
export const VIEW_WAIT = { timeoutMs: 2_000, intervalMs: 100 } as const;

/**
 * Polls `order_views` until the token's order is at or past its version. Resolves true once it is,
 * false when `timeoutMs` passes first; the wait is bounded, so a stalled projection slows a read by at
 * most that much and never fails it.
 *
 * @example
 * if (!(await waitForView(db, { orderId: "ord_1", version: 3 }))) markPending("ord_1");
 */
export async function waitForView(db: Db, point: ConsistencyPoint, wait = VIEW_WAIT): Promise<boolean> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const row = await db
      .select({ id: orderViews.id })
      .from(orderViews)
      .where(and(eq(orderViews.id, point.orderId), gte(orderViews.version, point.version)))
      .get();
    if (row) return true;
    if (Date.now() + wait.intervalMs > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, wait.intervalMs));
  }
}
