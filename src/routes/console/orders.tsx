import { formatMoney } from "../../consumers/email/templates/order";
import { ORDER_STATUSES } from "../../flows/checkout/schema";
import { getDb } from "../../platform/db/client";
import { InvalidCursorError } from "../../platform/errors";
import { Badge, IdLink, ORDER_PAGES_CSS, Scroll, took, When } from "./display";
import { loadOrderPage, OrderPage } from "./order-page";
import { type ListedOrder, listOrders, type OrderFilters, OrdersQuery } from "./orders-list";
import { consoleSection } from "./section";

const ORDERS = "/console/orders";
const PAGE = { title: "Orders", section: ORDERS, head: ORDER_PAGES_CSS };

/** The list's URL with these filters (and page size and cursor), empty ones left out. */
function listUrl(filters: OrderFilters, page: { limit?: number; cursor?: string } = {}): string {
  const params = new URLSearchParams();
  const { limit, cursor } = page;
  for (const [name, value] of Object.entries({ ...filters, limit: limit?.toString(), cursor }))
    if (value) params.set(name, value);
  const query = params.toString();
  return query ? `${ORDERS}?${query}` : ORDERS;
}

const FilterForm = ({ filters }: { filters: OrderFilters }) => (
  <form method="get" action={ORDERS} class="inline-form">
    <label for="orders-status">Status</label>
    <select id="orders-status" name="status">
      <option value="">any</option>
      {ORDER_STATUSES.map((s) => (
        <option key={s} value={s} selected={filters.status === s}>
          {s}
        </option>
      ))}
    </select>
    <label for="orders-buyer">Buyer id</label>
    <input id="orders-buyer" name="buyer" maxlength={128} value={filters.buyer ?? ""} />
    <label for="orders-merchant">Merchant id</label>
    <input id="orders-merchant" name="merchant" maxlength={128} value={filters.merchant ?? ""} />
    <button type="submit">Filter</button>
  </form>
);

const OrdersTable = ({ items, now }: { items: ListedOrder[]; now: number }) => (
  <Scroll label="Orders">
    <table>
      <caption>Orders: stuck ones first (oldest first), then by status, last changed first</caption>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Status</th>
          <th scope="col">Where it is</th>
          <th scope="col">Buyer</th>
          <th scope="col" class="num">
            Total
          </th>
          <th scope="col">Placed</th>
          <th scope="col">Last changed</th>
        </tr>
      </thead>
      <tbody>
        {items.map((o) => (
          <tr key={o.id}>
            <th scope="row">
              <IdLink base={ORDERS} id={o.id} />
            </th>
            <td>
              <Badge status={o.status} />
              {o.stuck && (
                <>
                  {" "}
                  <Badge status="stuck">{`stuck ${took(now - o.updatedAt)}`}</Badge>
                </>
              )}
            </td>
            <td>{o.statusMessage}</td>
            <td>
              <a href={listUrl({ buyer: o.buyerId })}>
                <code>{o.buyerId}</code>
              </a>
            </td>
            <td class="num">{formatMoney(o.totalMinor, o.currency)}</td>
            <td>
              <When ms={o.createdAt} />
            </td>
            <td>
              <When ms={o.updatedAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </Scroll>
);

/** A page that says what was wrong with the request, with the way back to the list. */
const Refused = ({ message }: { message: string }) => (
  <>
    <h1>Orders</h1>
    <p role="alert" class="error">
      {message}
    </p>
    <p>
      <a href={ORDERS}>All orders</a>
    </p>
  </>
);

/**
 * `/console/orders`: every order, stuck ones first, then by status (see `listOrders`), filtered by
 * status, buyer or merchant, a page at a time. `/console/orders/:id`: one order, its saga's timeline, its
 * facts and its payment (see `loadOrderPage`).
 */
export const ordersSection = consoleSection("Orders", ORDERS, (r) =>
  r
    .get(ORDERS, async (c) => {
      const parsed = OrdersQuery.safeParse(c.req.query());
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`);
        c.status(400);
        return c.render(
          <Refused message={`This list cannot be read with that query (${fields.join("; ")}).`} />,
          PAGE,
        );
      }
      const { cursor, limit, ...filters } = parsed.data;
      const now = c.var.clock.now();
      try {
        const page = await listOrders(getDb(c.env.DB), c.env, filters, { limit: limit ?? 50, cursor, now });
        return c.render(
          <>
            <h1>Orders</h1>
            <FilterForm filters={filters} />
            {page.items.length === 0 ? (
              <p role="status">No orders match.</p>
            ) : (
              <OrdersTable items={page.items} now={now} />
            )}
            {(cursor || page.nextCursor) && (
              <nav class="pager" aria-label="Pages">
                {cursor && <a href={listUrl(filters, { limit })}>First page</a>}
                {page.nextCursor && (
                  <a href={listUrl(filters, { limit, cursor: page.nextCursor })} rel="next">
                    Next page
                  </a>
                )}
              </nav>
            )}
          </>,
          PAGE,
        );
      } catch (err) {
        if (!(err instanceof InvalidCursorError)) throw err;
        c.status(400);
        return c.render(<Refused message={err.message} />, PAGE);
      }
    })
    .get(`${ORDERS}/:id`, async (c) => {
      const id = c.req.param("id");
      const now = c.var.clock.now();
      const data = id.length <= 128 ? await loadOrderPage(getDb(c.env.DB), c.env, id, now) : null;
      if (!data) {
        c.status(404);
        return c.render(
          <>
            <h1>No such order</h1>
            <p role="alert">
              No order has the id <code>{id.length > 80 ? `${id.slice(0, 80)}…` : id}</code>.
            </p>
            <p>
              <a href={ORDERS}>All orders</a>
            </p>
          </>,
          PAGE,
        );
      }
      return c.render(<OrderPage data={data} />, { ...PAGE, title: `Order ${id}` });
    }),
);
