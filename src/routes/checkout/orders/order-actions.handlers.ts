import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import {
  orderDetails,
  orderSaga,
  type SagaAnswer,
} from "../../../durable-objects/checkout/order-saga-client";
import type { Actor } from "../../../flows/checkout";
import { orders } from "../../../flows/checkout/schema";
import { sessionBookmark, sessionDb } from "../../../platform/db/sessions";
import { NotFoundError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { principalOf } from "../../../platform/http/principal";
import { consistencyToken } from "./consistency-token";
import type { OrderRow } from "./order-record";
import { statusUrlOf } from "./order-response";
import { ownOrder } from "./orders.handlers";
import type { cancelOrder, refundOrder } from "./orders.routes";
import { assertMayRefund, viewOrThrow } from "./saga-answer";

type Request = "cancel" | "refund";

/**
 * Asks the order's saga to cancel or refund. An order whose saga has not started yet (its
 * `order.placed` is still on the queue) is started here from the row — `start` is idempotent — so a
 * buyer who cancels at once is not told the order does not exist. The token carries `bookmark`, the
 * primary's as the route read the order; the saga writes the order's new row later (its alarm), which
 * the token's version, not the bookmark, covers.
 */
async function askSaga(env: Env, row: OrderRow, request: Request, by: Actor, bookmark?: string) {
  const saga = orderSaga(env, row.id);
  const ask = (): Promise<SagaAnswer> => (request === "cancel" ? saga.cancel(by) : saga.refund(by));
  let answer = await ask();
  if (!answer.ok && answer.reason === "unknown-order") {
    await saga.start(orderDetails(row));
    answer = await ask();
  }
  const view = viewOrThrow(answer, row.id);
  const statusUrl = statusUrlOf(row.id);
  const body = {
    id: row.id,
    status: view.status,
    statusUrl,
    consistencyToken: consistencyToken({ orderId: row.id, version: view.version, bookmark }),
  };
  return { body, headers: { Location: statusUrl } };
}

export const cancelOrderHandler: RouteHandler<typeof cancelOrder, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { userId } = principalOf(c);
  const row = await ownOrder(sessionDb(c), id, userId);
  const { body, headers } = await askSaga(
    c.env,
    row,
    "cancel",
    { userId, role: "buyer" },
    sessionBookmark(c),
  );
  c.get("log").info("orders.cancel-requested", { orderId: id, status: body.status });
  return c.json(body, 202, headers);
};

export const refundOrderHandler: RouteHandler<typeof refundOrder, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { userId, role } = principalOf(c);
  const row = await sessionDb(c).select().from(orders).where(eq(orders.id, id)).get();
  if (!row) throw new NotFoundError("order", id);
  const actor: Actor = { userId, role };
  assertMayRefund(row, actor);
  const { body, headers } = await askSaga(c.env, row, "refund", actor, sessionBookmark(c));
  c.get("log").info("orders.refund-requested", { orderId: id, by: role });
  return c.json(body, 202, headers);
};
