import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { formatMoney } from "../../../consumers/email/templates/order";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import { EVENT_REPORTERS } from "../../analytics/analytics.routes";
import type { ProductSchema } from "../../catalog/products.schemas";
import { orThrow } from "../errors";
import { apiFor } from "../session";
import { CART_MAX_QUANTITY } from "./cart-cookie";

export type Product = z.infer<typeof ProductSchema>;

/** Below this many, the page says how few are left. */
const FEW_LEFT = 5;

export const price = (p: Product) => formatMoney(p.price.amount, p.price.currency);

/** The most of a product one cart line can hold: what is in stock, within the cart's own limit. */
export const maxQuantity = (p: Product) => Math.min(p.stock, CART_MAX_QUANTITY);

export const StockState = ({ product }: { product: Product }) =>
  product.stock === 0 ? (
    <span class="badge danger">Out of stock</span>
  ) : product.stock <= FEW_LEFT ? (
    <span class="badge warn">Only {product.stock} left</span>
  ) : (
    <span class="badge ok">In stock</span>
  );

/**
 * The storefront's analytics script, for a person the API lets report client events (POST /v1/events:
 * merchants and admins). A buyer's or a visitor's report would only be refused, so their pages do not
 * load it: the script is the same client a program would be, within the same rules.
 */
export function analyticsHead(c: Context<AppEnv>) {
  const role = c.get("principal")?.role;
  return role && EVENT_REPORTERS.includes(role) ? <script type="module" src="/web/analytics.js" /> : null;
}

export const ProductCard = ({ product }: { product: Product }) => (
  <li class="product-card">
    <h3>
      <a href={`/shop/products/${encodeURIComponent(product.id)}`}>{product.title}</a>
    </h3>
    <p class="muted category">{product.category}</p>
    <p class="product-card-foot">
      <span class="price">{price(product)}</span> <StockState product={product} />
    </p>
  </li>
);

/** The product page; `error` and `status` when an add-to-cart form is sent back. */
export async function productPage(
  c: Context<AppEnv>,
  id: string,
  { error, quantity }: { error?: string; quantity?: string } = {},
) {
  const product = orThrow(await apiFor(c)<Product>(`/v1/products/${encodeURIComponent(id)}`));
  const max = maxQuantity(product);
  return c.render(
    <article class="product" data-analytics-view="product.viewed" data-product-id={product.id}>
      <p class="muted">
        <a href="/shop">Shop</a> › <span class="category">{product.category}</span>
      </p>
      <h1>{product.title}</h1>
      <div class="product-body">
        <div class="product-text">
          {product.description.split(/\n{2,}/).map((para) => (
            <p>{para}</p>
          ))}
          <dl class="product-facts">
            <dt>Category</dt>
            <dd class="category">{product.category}</dd>
            <dt>SKU</dt>
            <dd>
              <code>{product.sku}</code>
            </dd>
          </dl>
        </div>
        <section class="panel product-buy" aria-labelledby="buy-heading">
          <h2 id="buy-heading" class="visually-hidden">
            Buy
          </h2>
          <p class="product-price price">{price(product)}</p>
          <p>
            <StockState product={product} />
          </p>
          {error && (
            <p role="alert" class="notice notice-error">
              {error}
            </p>
          )}
          {max > 0 ? (
            <form
              method="post"
              action="/shop/cart/add"
              class="stack"
              data-analytics-submit="product.added_to_cart"
              data-product-id={product.id}
            >
              <input type="hidden" name="productId" value={product.id} />
              <label for="quantity">Quantity (1 to {max})</label>
              <input
                id="quantity"
                name="quantity"
                type="number"
                inputmode="numeric"
                min={1}
                max={max}
                value={quantity ?? "1"}
                required
              />
              <button type="submit" class="button primary">
                Add to cart
              </button>
            </form>
          ) : (
            <p class="muted">This product is sold out for now. Check back later.</p>
          )}
          <p class="muted hint">The exact price, tax and shipping come with your quote at checkout.</p>
        </section>
      </div>
    </article>,
    {
      title: product.title,
      section: "/shop",
      head: (
        <>
          <link rel="stylesheet" href="/web/shop.css" />
          {analyticsHead(c)}
        </>
      ),
    },
  );
}

/** A product as a buyer sees it: GET /v1/products/{id}, with an add-to-cart form. */
export const productSection = pageSection(
  "Product",
  "/shop/products",
  (r) => r.get("/shop/products/:id", (c) => productPage(c, c.req.param("id"))),
  { inNav: false },
);
