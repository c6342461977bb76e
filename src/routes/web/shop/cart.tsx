import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { formatMoney } from "../../../consumers/email/templates/order";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { QuoteRequestSchema, QuoteResponse } from "../../pricing/quotes.schemas";
import { problemText } from "../errors";
import { apiFor, SIGN_IN_PATH, signedIn } from "../session";
import { CART_MAX_LINES, CART_MAX_QUANTITY, type CartLine, readCart, writeCart } from "./cart-cookie";
import { analyticsHead, type Product, price, productPage, StockState } from "./product";

type QuoteRequest = z.input<typeof QuoteRequestSchema>;

const CART = "/shop/cart";

/** What a finished cart form says on the page it leads to: fixed words, so a link cannot put others there. */
const NOTICES = {
  added: "Added to your cart.",
  updated: "Quantity updated.",
  removed: "Removed from your cart.",
} as const;

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

/** A quantity as a person typed it: a whole number in 1..max, or null. */
function quantityOf(raw: string, max: number): number | null {
  if (!/^\d{1,3}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : null;
}

/** Each line with its product as the catalog has it now (null when it is gone). */
async function withProducts(c: Context<AppEnv>, lines: CartLine[]) {
  const api = apiFor(c);
  return Promise.all(
    lines.map(async (line) => {
      const answer = await api<Product>(`/v1/products/${encodeURIComponent(line.productId)}`);
      if (!answer.ok && answer.status !== 404) throw new Error(`product ${line.productId}: ${answer.status}`);
      return { ...line, product: answer.ok ? answer.body : null };
    }),
  );
}

/** The API's words with the products it names by id ('prd_…') named by their titles instead. */
async function byTitle(c: Context<AppEnv>, text: string, lines: CartLine[]): Promise<string> {
  if (!lines.some((l) => text.includes(`'${l.productId}'`))) return text;
  for (const { productId, product } of await withProducts(c, lines))
    if (product) text = text.replaceAll(`'${productId}'`, `“${product.title}”`);
  return text;
}

type PricedLine = Awaited<ReturnType<typeof withProducts>>[number];

/** The list-price total per currency (a cart may mix them; a quote then says it cannot). */
function estimate(lines: PricedLine[]): string {
  const sums = new Map<string, number>();
  for (const l of lines)
    if (l.product)
      sums.set(
        l.product.price.currency,
        (sums.get(l.product.price.currency) ?? 0) + l.product.price.amount * l.quantity,
      );
  return [...sums].map(([currency, minor]) => formatMoney(minor, currency)).join(" + ");
}

const CartLineRow = ({ line }: { line: PricedLine }) => {
  const { product, productId, quantity } = line;
  const inputId = `qty-${productId}`;
  return (
    <tr>
      <th scope="row">
        {product ? (
          <a href={`/shop/products/${encodeURIComponent(productId)}`}>{product.title}</a>
        ) : (
          <span>
            No longer sold <span class="muted">({productId})</span>
          </span>
        )}
        {product && (
          <>
            {" "}
            <StockState product={product} />
          </>
        )}
      </th>
      <td class="num">{product ? price(product) : "—"}</td>
      <td>
        <form method="post" action={`${CART}/update`} class="inline-form">
          <input type="hidden" name="productId" value={productId} />
          <label for={inputId} class="visually-hidden">
            Quantity of {product?.title ?? productId}
          </label>
          <input
            id={inputId}
            name="quantity"
            type="number"
            min={1}
            max={CART_MAX_QUANTITY}
            value={String(quantity)}
            size={3}
            required
          />
          <button type="submit">Update</button>
        </form>
      </td>
      <td>
        <form
          method="post"
          action={`${CART}/remove`}
          class="inline-form"
          data-analytics-submit="product.removed_from_cart"
          data-product-id={productId}
        >
          <input type="hidden" name="productId" value={productId} />
          <button type="submit" class="danger">
            Remove<span class="visually-hidden"> {product?.title ?? productId}</span>
          </button>
        </form>
      </td>
    </tr>
  );
};

/** The cart page; `error` (with the API's status set by the caller) when checkout was refused. */
async function cartPage(c: Context<AppEnv>, { error, country }: { error?: string; country?: string } = {}) {
  const lines = await withProducts(c, readCart(c));
  const notice = NOTICES[c.req.query("notice") as keyof typeof NOTICES];
  const signedInBuyer = c.get("principal")?.role === "buyer";
  return c.render(
    <>
      <h1>Your cart</h1>
      <div role="status">{notice && <p class="notice notice-ok">{notice}</p>}</div>
      {error && (
        <p role="alert" class="notice notice-error">
          {error}
        </p>
      )}
      {lines.length === 0 ? (
        <div class="empty">
          <p>
            <strong>Your cart is empty.</strong>
          </p>
          <p>
            <a class="button primary" href="/shop">
              Browse the shop
            </a>
          </p>
        </div>
      ) : (
        <>
          <div class="table-scroll">
            <table class="cart-table">
              <caption>
                {lines.length} {lines.length === 1 ? "product" : "products"} (at most {CART_MAX_LINES})
              </caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" class="num">
                    List price
                  </th>
                  <th scope="col">Quantity</th>
                  <th scope="col">
                    <span class="visually-hidden">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => (
                  <CartLineRow line={line} />
                ))}
              </tbody>
            </table>
          </div>
          <section class="panel cart-summary" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Estimated subtotal</h2>
            <p class="price cart-estimate">{estimate(lines) || "—"}</p>
            <p class="muted">
              An estimate from today's list prices: the exact price, tax and shipping come with your quote.
            </p>
            <form
              method="post"
              action={`${CART}/checkout`}
              class="stack"
              data-analytics-submit="checkout.started"
            >
              <label for="country">Ship to (country code, e.g. US)</label>
              <input
                id="country"
                name="country"
                value={country ?? "US"}
                required
                pattern="[A-Za-z]{2}"
                maxlength={2}
                size={3}
                autocomplete="country"
              />
              <button type="submit" class="button primary">
                Check out
              </button>
              {!signedInBuyer && <p class="muted hint">You will be asked to sign in as a buyer first.</p>}
            </form>
          </section>
        </>
      )}
    </>,
    {
      title: "Your cart",
      section: CART,
      head: (
        <>
          <link rel="stylesheet" href="/web/shop.css" />
          {analyticsHead(c)}
        </>
      ),
    },
  );
}

// The cart lives in the browser, so nothing a visitor typed is lost on the way to signing in: checkout
// sends them there and back to the cart instead of the 401 page `signedIn` shows for other forms.
const toSignInFirst = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("principal")) return c.redirect(`${SIGN_IN_PATH}?next=${encodeURIComponent(CART)}`, 303);
  await next();
});

/**
 * The cart: lines kept in a cookie (`cart-cookie.ts`), shown at today's list prices read through the
 * API, and checked out by asking the API for a quote (POST /v1/quotes), which the checkout page shows.
 */
export const cartSection = pageSection(
  "Cart",
  CART,
  (r) =>
    r
      .get(CART, (c) => cartPage(c))
      .post(`${CART}/add`, async (c) => {
        const form = await c.req.parseBody();
        const productId = field(form, "productId");
        const raw = field(form, "quantity");
        // The product must exist and its stock bounds the quantity: a missing one is the 404 page.
        const answer = await apiFor(c)<Product>(`/v1/products/${encodeURIComponent(productId)}`);
        if (!answer.ok) return productPage(c, productId);
        const max = Math.min(answer.body.stock, CART_MAX_QUANTITY);
        const lines = readCart(c);
        const line = lines.find((l) => l.productId === productId);
        const quantity = quantityOf(raw, max);
        let error: string | undefined;
        if (quantity === null)
          error =
            max === 0 ? "This product is out of stock." : `quantity: must be a whole number from 1 to ${max}`;
        else if (!line && lines.length >= CART_MAX_LINES)
          error = `Your cart holds at most ${CART_MAX_LINES} products: check out or remove one first.`;
        if (error || quantity === null) {
          c.status(error?.startsWith("Your cart") ? 409 : 400);
          return productPage(c, productId, { error, quantity: raw });
        }
        if (line) line.quantity = Math.min(line.quantity + quantity, max);
        else lines.push({ productId, quantity });
        writeCart(c, lines);
        return c.redirect(`${CART}?notice=added`, 303);
      })
      .post(`${CART}/update`, async (c) => {
        const form = await c.req.parseBody();
        const lines = readCart(c);
        const line = lines.find((l) => l.productId === field(form, "productId"));
        const quantity = quantityOf(field(form, "quantity"), CART_MAX_QUANTITY);
        if (!line) return c.redirect(CART, 303);
        if (quantity === null) {
          c.status(400);
          return cartPage(c, { error: `quantity: must be a whole number from 1 to ${CART_MAX_QUANTITY}` });
        }
        line.quantity = quantity;
        writeCart(c, lines);
        return c.redirect(`${CART}?notice=updated`, 303);
      })
      .post(`${CART}/remove`, async (c) => {
        const form = await c.req.parseBody();
        const productId = field(form, "productId");
        writeCart(
          c,
          readCart(c).filter((l) => l.productId !== productId),
        );
        return c.redirect(`${CART}?notice=removed`, 303);
      })
      .post(`${CART}/checkout`, toSignInFirst, signedIn("buyer"), async (c) => {
        const form = await c.req.parseBody();
        const lines = readCart(c);
        if (lines.length === 0) return c.redirect(CART, 303);
        const country = field(form, "country");
        const request: QuoteRequest = {
          items: lines.map(({ productId, quantity }) => ({ productId, quantity })),
          shipTo: { country },
        };
        const answer = await apiFor(c)<QuoteResponse>("/v1/quotes", { json: request });
        if (!answer.ok) {
          c.status(answer.status as 400);
          return cartPage(c, { error: await byTitle(c, problemText(answer.problem), lines), country });
        }
        return c.redirect(`/shop/checkout/${encodeURIComponent(answer.body.id)}`, 303);
      }),
  { inNav: false },
);
