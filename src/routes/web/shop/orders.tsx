import type { z } from "@hono/zod-openapi";
import { formatMoney as money } from "../../../flows/pricing/money";
import { pageSection } from "../../../platform/http/pages/section";
import type { OrderListSchema } from "../../checkout/orders/orders.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn } from "../session";
import { StatusBadge } from "./order-progress";

type OrderList = z.infer<typeof OrderListSchema>;

const PAGE_SIZE = 20;

const History = ({ list, first }: { list: OrderList; first: boolean }) => (
  <>
    <h1>Your orders</h1>
    {!list.consistency.caughtUp && (
      <p role="status" class="notice notice-warn">
        Your latest change is still being processed; this list will show it in a moment.{" "}
        <a href="/shop/orders">Refresh</a>
      </p>
    )}
    {list.items.length === 0 ? (
      <div class="panel empty">
        <p>{first ? "You have not ordered anything yet." : "No more orders."}</p>
        <p>
          <a class="button primary" href="/shop">
            Browse the shop
          </a>
        </p>
      </div>
    ) : (
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Items
              </th>
              <th scope="col" class="num">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((o) => (
              <tr>
                <td>
                  <a href={`/shop/orders/${o.id}`}>
                    <code>{o.id}</code>
                  </a>
                </td>
                <td class="nowrap">
                  <time datetime={o.placedAt}>{o.placedAt.slice(0, 16).replace("T", " ")} UTC</time>
                </td>
                <td>
                  <StatusBadge status={o.status} /> <span class="muted">{o.statusMessage}</span>
                </td>
                <td class="num">{o.itemCount}</td>
                <td class="num">{money(o.total.amount, o.total.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    )}
    <nav class="pager" aria-label="Pages">
      {!first && <a href="/shop/orders">Newest orders</a>}
      {list.nextCursor && (
        <a href={`/shop/orders?cursor=${encodeURIComponent(list.nextCursor)}`} rel="next">
          Older orders
        </a>
      )}
    </nav>
  </>
);

/**
 * The buyer's orders, newest first, from GET /v1/orders and its cursor. A consistency token from the
 * order page (`token`) makes the list wait, briefly, until it shows that order's latest change, and
 * says so when it could not.
 */
export const ordersSection = pageSection("Orders", "/shop/orders", (r) =>
  r.get("/shop/orders", signedIn("buyer"), async (c) => {
    const cursor = c.req.query("cursor");
    const list = orThrow(
      await apiFor(c)<OrderList>("/v1/orders", {
        query: { limit: PAGE_SIZE, cursor, consistencyToken: c.req.query("token") },
      }),
    );
    return c.render(<History list={list} first={!cursor} />, {
      title: "Your orders",
      section: "/shop/orders",
      head: <link rel="stylesheet" href="/web/checkout.css" />,
    });
  }),
);
