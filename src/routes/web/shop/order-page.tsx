import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { OrderAcceptedSchema } from "../../checkout/orders/orders.schemas";
import { orThrow, problemText } from "../errors";
import { apiFor, signedIn, WEB_COOKIE } from "../session";
import { LinesTable } from "./lines-table";
import { isCancellable, isSettled, type Order, OrderProgress } from "./order-progress";

type Ctx = Context<AppEnv>;

const NOTICES: Record<string, string> = {
  placed: "Thank you: your order is placed. You can follow it here, or leave and come back later.",
  cancelling: "We're cancelling your order.",
};

const orderPath = (id: string) => `/shop/orders/${encodeURIComponent(id)}`;

/** The consistency token a write handed back, carried so the history shows this order as it now is. */
const historyHref = (token: string | undefined) =>
  token ? `/shop/orders?token=${encodeURIComponent(token)}` : "/shop/orders";

function OrderPage({
  order,
  now,
  notice,
  error,
  token,
}: {
  order: Order;
  now: number;
  notice?: string;
  error?: string;
  token?: string;
}) {
  const settled = isSettled(order.status);
  return (
    <>
      <h1>
        Order <code>{order.id}</code>
      </h1>
      <p class="muted">
        Placed <time datetime={order.placedAt}>{order.placedAt.slice(0, 16).replace("T", " ")} UTC</time> ·{" "}
        <a href={historyHref(token)}>All your orders</a>
      </p>
      {notice && (
        <p role="status" class="notice notice-ok">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      <div id="order-live-slot" data-live={`${orderPath(order.id)}/live`} data-settled={String(settled)}>
        <OrderProgress order={order} now={now} />
      </div>
      <div id="order-actions" class="order-actions">
        {!settled && (
          <a
            class="button refresh-link"
            href={token ? `${orderPath(order.id)}?token=${encodeURIComponent(token)}` : orderPath(order.id)}
          >
            Refresh
          </a>
        )}
        {isCancellable(order) && (
          <form method="post" action={`${orderPath(order.id)}/cancel`} class="inline-form">
            <button type="submit" class="button danger">
              Cancel this order
            </button>
          </form>
        )}
      </div>
      <section class="panel" aria-labelledby="items-heading">
        <h2 id="items-heading">Items</h2>
        <LinesTable lines={order.lines} amounts={order} />
      </section>
    </>
  );
}

const HEAD = (
  <>
    <link rel="stylesheet" href="/web/checkout.css" />
    <script type="module" src="/web/order.js" />
  </>
);

async function render(c: Ctx, id: string, extra: { notice?: string; error?: string } = {}) {
  // The order's own read comes from its record (the write model), so it is never behind what this
  // buyer did; the token matters to the history, a read model, and is passed on to it.
  const order = orThrow(await apiFor(c)<Order>(`/v1/orders/${encodeURIComponent(id)}`));
  return c.render(
    <OrderPage order={order} now={c.var.clock.now()} token={c.req.query("token")} {...extra} />,
    { title: `Order ${order.id}`, section: "/shop/orders", head: HEAD },
  );
}

/**
 * One of the buyer's orders: the state the API holds now, at once, with the checkout's steps in words;
 * public/web/order.js follows `/live` (the API's event stream, with the cookie's token as the bearer an
 * EventSource cannot send) and redraws the steps in place. Cancel goes through the API's own route.
 */
export const orderSection = pageSection(
  "Order",
  "/shop/orders/:id",
  (r) =>
    r
      .get("/shop/orders/:id", signedIn("buyer"), (c) => {
        const notice = NOTICES[c.req.query("placed") ? "placed" : (c.req.query("notice") ?? "")];
        return render(c, c.req.param("id"), { notice });
      })
      .get("/shop/orders/:id/live", signedIn("buyer"), async (c) => {
        const self = c.get("self")!;
        const headers = new Headers({ accept: "text/event-stream", "x-request-id": c.var.requestId });
        headers.set("authorization", `Bearer ${WEB_COOKIE.read(c) ?? ""}`);
        const lastEventId = c.req.header("last-event-id");
        if (lastEventId) headers.set("last-event-id", lastEventId);
        const url = new URL(`/v1/orders/${encodeURIComponent(c.req.param("id"))}/stream`, c.req.url);
        return self(new Request(url, { headers }));
      })
      .post("/shop/orders/:id/cancel", signedIn("buyer"), async (c) => {
        const id = c.req.param("id");
        const answer = await apiFor(c)<z.infer<typeof OrderAcceptedSchema>>(
          `/v1/orders/${encodeURIComponent(id)}/cancel`,
          { method: "POST" },
        );
        if (answer.ok) {
          const token = encodeURIComponent(answer.body.consistencyToken);
          return c.redirect(`${orderPath(id)}?notice=cancelling&token=${token}`, 303);
        }
        if (answer.status === 404) orThrow(answer);
        c.status(answer.status as 409);
        return render(c, id, { error: problemText(answer.problem) });
      }),
  { inNav: false },
);
