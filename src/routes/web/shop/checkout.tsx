import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { formatMoney as money } from "../../../flows/pricing/money";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { Problem } from "../../../platform/http/problem";
import { TEST_PAYMENT_METHODS, type TestPaymentMethod } from "../../../providers/payments/test-cards";
import type { OrderAcceptedSchema } from "../../checkout/orders/orders.schemas";
import type { QuoteRequestSchema, QuoteResponse } from "../../pricing/quotes.schemas";
import { orThrow, problemText } from "../errors";
import { apiFor, signedIn } from "../session";
import { LinesTable } from "./lines-table";

type Ctx = Context<AppEnv>;

/** Each sandbox card in plain words, typed by the sandbox's own list so a new card cannot be missed. */
const CARDS: Record<TestPaymentMethod, string> = {
  pm_card_visa: "Approved at once.",
  pm_card_slow: "Approved, but the bank takes about a second to answer.",
  pm_card_declined: "Declined by the bank: the order is cancelled and nothing is charged.",
  pm_card_timeout: "The bank never answers: the order is cancelled after a wait and nothing is charged.",
  pm_card_flaky: "The first two tries fail for a moment, then it is approved.",
};
const CARD_IDS = Object.keys(TEST_PAYMENT_METHODS) as TestPaymentMethod[];

const hhmm = (iso: string) => `${iso.slice(11, 16)} UTC`;

function timeLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A problem's type by its slug (`/problems/quote-expired` → `quote-expired`): it chooses the way forward. */
const slugOf = (problem: Problem | undefined) => problem?.type.split("/").pop() ?? "";

const RequoteForm = ({ quoteId, primary }: { quoteId: string; primary: boolean }) => (
  <form method="post" action={`/shop/checkout/${quoteId}/requote`} class="inline-form">
    <input type="hidden" name="idempotencyKey" value={crypto.randomUUID()} />
    <button type="submit" class={primary ? "button primary" : "button"}>
      Get a new price
    </button>
  </form>
);

function CheckoutPage({
  quote,
  now,
  error,
  errorSlug,
  chosen = "pm_card_visa",
}: {
  quote: QuoteResponse;
  now: number;
  error?: string;
  errorSlug?: string;
  chosen?: string;
}) {
  const left = Date.parse(quote.expiresAt) - now;
  const expired = left <= 0 || errorSlug === "quote-expired";
  return (
    <>
      <h1>Checkout</h1>
      {error && (
        <div role="alert" class="notice notice-error">
          <p>{error}</p>
          {errorSlug === "quote-already-used" && (
            <p>
              <a href="/shop/orders">See your orders</a>
            </p>
          )}
          {errorSlug === "product-unavailable" && (
            <p>
              <a href="/shop">Back to the shop</a>
            </p>
          )}
        </div>
      )}
      <div class="checkout-grid">
        <section class="panel" aria-labelledby="summary-heading">
          <h2 id="summary-heading">Your order</h2>
          <LinesTable lines={quote.lines} amounts={quote} />
        </section>
        <section class="panel" aria-labelledby="pay-heading">
          <h2 id="pay-heading">Payment</h2>
          <div
            id="price-lock"
            class="price-lock"
            data-expires-at={quote.expiresAt}
            data-left-ms={String(Math.max(0, left))}
          >
            <p class="notice notice-ok lock-held" hidden={expired}>
              Price held until <time datetime={quote.expiresAt}>{hhmm(quote.expiresAt)}</time> (
              <span class="lock-left">{timeLeft(left)}</span> left)
            </p>
            <div class="notice notice-warn lock-expired" hidden={!expired}>
              <p>The price lock expired: prices may have changed since this quote.</p>
              <RequoteForm quoteId={quote.id} primary />
            </div>
          </div>
          <form method="post" action={`/shop/checkout/${quote.id}`} class="stack place-form">
            <input type="hidden" name="idempotencyKey" value={crypto.randomUUID()} />
            <fieldset>
              <legend>Test card (this shop takes sandbox payments only)</legend>
              {CARD_IDS.map((id) => (
                <label class="choice card-choice">
                  <input type="radio" name="paymentMethod" value={id} checked={id === chosen} />{" "}
                  <code>{id}</code> <span class="muted">{CARDS[id]}</span>
                </label>
              ))}
            </fieldset>
            <button type="submit" class="button primary" disabled={expired}>
              Place order · {money(quote.total, quote.currency)}
            </button>
          </form>
        </section>
      </div>
    </>
  );
}

const HEAD = (
  <>
    <link rel="stylesheet" href="/web/checkout.css" />
    <script type="module" src="/web/checkout.js" />
  </>
);

async function render(c: Ctx, quoteId: string, failed?: { problem?: Problem; chosen: string }) {
  const quote = orThrow(await apiFor(c)<QuoteResponse>(`/v1/quotes/${encodeURIComponent(quoteId)}`));
  return c.render(
    <CheckoutPage
      quote={quote}
      now={c.var.clock.now()}
      error={failed && problemText(failed.problem)}
      errorSlug={failed && slugOf(failed.problem)}
      chosen={failed?.chosen}
    />,
    { title: "Checkout", section: "/shop/checkout", head: HEAD },
  );
}

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string) : "";

/**
 * Checkout for one of the buyer's quotes: its lines and price lock, the sandbox's test cards, "Place
 * order". The form carries an idempotency key made when the page was rendered, so a second submit (a
 * double click, a resent form) is the same POST /v1/orders and places one order. The order page gets
 * the API's consistency token, which its link to the order history passes on.
 */
export const checkoutSection = pageSection(
  "Checkout",
  "/shop/checkout",
  (r) =>
    r
      .get("/shop/checkout/:quoteId", signedIn("buyer"), (c) => render(c, c.req.param("quoteId")))
      .post("/shop/checkout/:quoteId", signedIn("buyer"), async (c) => {
        const quoteId = c.req.param("quoteId");
        const form = await c.req.parseBody();
        const paymentMethod = field(form, "paymentMethod");
        const answer = await apiFor(c)<z.infer<typeof OrderAcceptedSchema>>("/v1/orders", {
          json: { quoteId, paymentMethod },
          headers: { "Idempotency-Key": field(form, "idempotencyKey") },
        });
        if (answer.ok) {
          const { id, consistencyToken } = answer.body;
          return c.redirect(`/shop/orders/${id}?placed=1&token=${encodeURIComponent(consistencyToken)}`, 303);
        }
        c.status(answer.status as 400);
        return render(c, quoteId, { problem: answer.problem, chosen: paymentMethod });
      })
      .post("/shop/checkout/:quoteId/requote", signedIn("buyer"), async (c) => {
        const api = apiFor(c);
        const old = orThrow(
          await api<QuoteResponse>(`/v1/quotes/${encodeURIComponent(c.req.param("quoteId"))}`),
        );
        const request: z.input<typeof QuoteRequestSchema> = {
          items: old.lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
          shipTo: old.shipTo,
          ...(old.promoCode ? { promoCode: old.promoCode } : {}),
        };
        const key = field(await c.req.parseBody(), "idempotencyKey");
        const fresh = orThrow(
          await api<QuoteResponse>("/v1/quotes", {
            json: request,
            headers: key ? { "Idempotency-Key": key } : {},
          }),
        );
        return c.redirect(`/shop/checkout/${fresh.id}`, 303);
      }),
  { inNav: false },
);
