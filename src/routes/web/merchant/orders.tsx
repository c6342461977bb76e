import type { z } from "@hono/zod-openapi";
import { pageSection } from "../../../platform/http/pages/section";
import type {
  MerchantOrderPageSchema,
  MerchantOrderSchema,
} from "../../checkout/merchant-orders/merchant-orders.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn } from "../session";
import { MERCHANT_CSS, money, Pager, StatusBadge, Table, utc } from "./parts";

const HREF = "/merchant/orders";
type MerchantOrder = z.infer<typeof MerchantOrderSchema>;
type MerchantOrderPage = z.infer<typeof MerchantOrderPageSchema>;

/** Confirmed (paid) orders are the ones to pack and send; the desk opens on them. */
export const TO_FULFIL = "confirmed";

const VIEWS = {
  "to-fulfil": { label: "To fulfil", status: TO_FULFIL },
  all: { label: "All orders", status: undefined },
} as const;
type View = keyof typeof VIEWS;

const OrdersTable = ({ caption, items }: { caption: string; items: MerchantOrder[] }) => (
  <Table caption={caption}>
    <thead>
      <tr>
        <th scope="col">Order</th>
        <th scope="col">Status</th>
        <th scope="col">Placed</th>
        <th scope="col" class="num">
          Items
        </th>
        <th scope="col" class="num">
          Your subtotal
        </th>
      </tr>
    </thead>
    <tbody>
      {items.map((o) => (
        <tr>
          <td>
            <a href={`${HREF}/${o.id}`}>
              <code>{o.id}</code>
            </a>
          </td>
          <td>
            <StatusBadge status={o.status} />
          </td>
          <td>{utc(o.placedAt)}</td>
          <td class="num">{o.lines.reduce((n, l) => n + l.quantity, 0)}</td>
          <td class="num">{money(o.subtotal, o.currency)}</td>
        </tr>
      ))}
    </tbody>
  </Table>
);

/**
 * The order desk (GET /v1/merchant/orders): the orders holding this merchant's products, with only
 * their lines; paid orders to fulfil first, every order one tab away. A read model, so an order placed
 * a moment ago may take a few seconds to appear: the page says so.
 */
export const merchantOrdersSection = pageSection("Orders", HREF, (r) =>
  r
    .get(HREF, signedIn("merchant"), async (c) => {
      const view: View = c.req.query("show") === "all" ? "all" : "to-fulfil";
      const cursor = c.req.query("cursor");
      const page = orThrow(
        await apiFor(c)<MerchantOrderPage>("/v1/merchant/orders", {
          query: { status: VIEWS[view].status, limit: 20, cursor },
        }),
      );
      const empty =
        view === "to-fulfil"
          ? "Nothing to fulfil: every paid order holding your products is listed under All orders."
          : "No orders hold your products yet. They appear here a few seconds after a buyer places one.";
      return c.render(
        <>
          <h1>Orders</h1>
          <nav class="tabs" aria-label="Which orders">
            {(Object.keys(VIEWS) as View[]).map((v) => (
              <a
                href={v === "all" ? `${HREF}?show=all` : HREF}
                aria-current={v === view ? "page" : undefined}
              >
                {VIEWS[v].label}
              </a>
            ))}
          </nav>
          <p class="muted">
            Your lines and your subtotal only. New orders show up a few seconds after they are placed.
          </p>
          {page.items.length === 0 && !cursor ? (
            <p class="empty">{empty}</p>
          ) : (
            <>
              <OrdersTable
                caption={
                  view === "to-fulfil" ? "Paid orders to fulfil, newest first" : "All orders, newest first"
                }
                items={page.items}
              />
              <Pager
                path={HREF}
                cursor={cursor}
                nextCursor={page.nextCursor}
                query={{ show: view === "all" ? "all" : undefined }}
              />
            </>
          )}
        </>,
        { title: "Orders", section: HREF, head: MERCHANT_CSS },
      );
    })
    .get(`${HREF}/:id`, signedIn("merchant"), async (c) => {
      const id = c.req.param("id");
      const order = orThrow(await apiFor(c)<MerchantOrder>(`/v1/merchant/orders/${encodeURIComponent(id)}`));
      return c.render(
        <>
          <p>
            <a href={HREF}>← Orders</a>
          </p>
          <h1>
            Order <code>{order.id}</code>
          </h1>
          <dl class="facts">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={order.status} />
              {order.status === TO_FULFIL ? " Paid: ready to fulfil." : ""}
            </dd>
            <dt>Placed</dt>
            <dd>{utc(order.placedAt)}</dd>
            <dt>Last change</dt>
            <dd>{utc(order.updatedAt)}</dd>
            <dt>Your subtotal</dt>
            <dd class="price">{money(order.subtotal, order.currency)}</dd>
          </dl>
          <Table caption="Your lines in this order">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">
                  Quantity
                </th>
                <th scope="col" class="num">
                  Unit price
                </th>
                <th scope="col" class="num">
                  Line total
                </th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((l) => (
                <tr>
                  <td>{l.title}</td>
                  <td class="num">{l.quantity}</td>
                  <td class="num">{money(l.unitPrice, l.currency)}</td>
                  <td class="num">{money(l.lineTotal, l.currency)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <p class="muted">Other merchants' lines and the buyer's total are not shown.</p>
        </>,
        { title: `Order ${order.id}`, section: HREF, head: MERCHANT_CSS },
      );
    }),
);
