import { getTableColumns, sql } from "drizzle-orm";
import { type OrderStatusFact, orderRowFor, orderViewOf } from "../../flows/checkout/order-view";
import { orderViews } from "../../flows/checkout/schema";
import type { D1Consumer } from "../../platform/events/consumer";

// Every column but the key, set from the incoming row on conflict.
const { id: _id, ...updatable } = getTableColumns(orderViews);
const fromExcluded = Object.fromEntries(
  Object.entries(updatable).map(([key, column]) => [key, sql.raw(`excluded."${column.name}"`)]),
);

/**
 * Keeps `order_views` (GET /v1/orders). It never trusts the event's data for the state: it re-reads the
 * order's row, which the saga updates in the batch that wrote the fact, and upserts the view only when
 * that row is newer than the view (`version`). So facts may arrive late, twice, or out of order: an
 * older delivery that commits after a newer one changes nothing, and the view only moves forward.
 *
 * `order_views` is sharded by buyer (src/platform/db/shards.ts): a buyer's list is one query on one
 * database, however many there are. The order's row is read from the global database.
 */
export const orderProjectionConsumer = {
  name: "order-projection",
  effect: "d1",
  shardKey: (event) => event.data.buyerId,
  async handle(event, { db, shard }) {
    switch (event.type) {
      case "order.placed":
      case "order.confirmed":
      case "order.cancellation_started":
      case "order.cancelled":
      case "order.refund_requested":
      case "order.refunded": {
        const row = await orderRowFor(db, event, "order-projection");
        return [
          shard
            .insert(orderViews)
            .values(orderViewOf(row))
            .onConflictDoUpdate({
              target: orderViews.id,
              set: fromExcluded,
              setWhere: sql`excluded.version > ${orderViews.version}`,
            }),
        ];
      }
      default: {
        const unhandled: never = event;
        throw new Error(`order-projection: unexpected event ${JSON.stringify(unhandled)}`);
      }
    }
  },
} satisfies D1Consumer<OrderStatusFact>;
