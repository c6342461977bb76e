import type { z } from "@hono/zod-openapi";
import { pageSection } from "../../../platform/http/pages/section";
import type { MerchantOrderPageSchema } from "../../checkout/merchant-orders/merchant-orders.schemas";
import type { SettlementListSchema } from "../../settlements/settlements.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn } from "../session";
import { TO_FULFIL } from "./orders";
import { MERCHANT_CSS, money, StatusBadge } from "./parts";
import { myProducts } from "./products";

// A figure counts up to one page; past it the page says "100+" rather than counting every row.
const COUNTED = 100;
const count = (page: { items: unknown[]; nextCursor: string | null }) =>
  page.nextCursor ? `${COUNTED}+` : String(page.items.length);

/**
 * The workspace's front page: what needs doing (paid orders to fulfil), the latest settlement and the
 * products, each read through the API as any client would. A new merchant sees where to start instead.
 */
export const merchantHomeSection = pageSection("Workspace", "/merchant", (r) =>
  r.get("/merchant", signedIn("merchant"), async (c) => {
    const api = apiFor(c);
    const [products, toFulfil, settlements] = await Promise.all([
      myProducts(c, undefined, COUNTED),
      api<z.infer<typeof MerchantOrderPageSchema>>("/v1/merchant/orders", {
        query: { status: TO_FULFIL, limit: COUNTED },
      }).then(orThrow),
      api<z.infer<typeof SettlementListSchema>>("/v1/settlements", { query: { limit: 1 } }).then(orThrow),
    ]);
    const latest = settlements.items[0];
    const name = c.get("principal")?.user.name;
    if (products.items.length === 0 && toFulfil.items.length === 0 && !latest)
      return c.render(
        <>
          <h1>Welcome{name ? `, ${name}` : ""}</h1>
          <section class="panel getting-started">
            <h2>Add your first product or import a file</h2>
            <p>
              Your workspace fills up as you sell: orders to fulfil, settlements and daily figures for each
              product. Start with what you sell.
            </p>
            <p class="actions">
              <a class="button primary" href="/merchant/products#add-product">
                Add a product
              </a>{" "}
              <a class="button" href="/merchant/imports">
                Import a catalog file
              </a>
            </p>
          </section>
        </>,
        { title: "Workspace", section: "/merchant", head: MERCHANT_CSS },
      );
    return c.render(
      <>
        <h1>Your workspace</h1>
        <div class="grid figures">
          <section class="panel figure">
            <h2>Orders to fulfil</h2>
            <p class="figure-value">{count(toFulfil)}</p>
            <p class="muted">
              {toFulfil.items.length === 0 ? "Nothing waiting." : "Paid and waiting for you to send them."}
            </p>
            <a href="/merchant/orders">Open the order desk</a>
          </section>
          <section class="panel figure">
            <h2>Latest settlement</h2>
            {latest ? (
              <>
                <p class="figure-value">{money(latest.payoutMinor, latest.currency)}</p>
                <p class="muted">
                  {latest.periodStart.slice(0, 10)} <StatusBadge status={latest.status} />
                </p>
                <a href={`/merchant/settlements/${latest.id}`}>See the settlement</a>
              </>
            ) : (
              <>
                <p class="figure-value">—</p>
                <p class="muted">None yet: the day after your first sale.</p>
                <a href="/merchant/settlements">Settlements</a>
              </>
            )}
          </section>
          <section class="panel figure">
            <h2>Products</h2>
            <p class="figure-value">{count(products)}</p>
            <p class="muted">In the catalog now.</p>
            <a href="/merchant/products">Manage products</a>
          </section>
        </div>
      </>,
      { title: "Workspace", section: "/merchant", head: MERCHANT_CSS },
    );
  }),
);
