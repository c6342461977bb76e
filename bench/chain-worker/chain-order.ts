/**
 * `POST /chain/orders`: the checkout a request chain would build, for the chain-vs-saga benchmark. It
 * takes crossdock's `POST /v1/orders` body and does, before answering, what the order's saga does after
 * the 202: check the quote, write the order row, reserve inventory, authorize and capture through the
 * same payments gateway, confirm. Answers 201 with the confirmed order, or a problem once the order is
 * cancelled. It compensates as the saga does (release the reservation; void what may have been
 * authorized), once and in line; what it never does is retry: a step that fails fails the request, as a
 * chain of synchronous calls without a durable coordinator would. No facts, no outbox: nothing else
 * hears of a chain order.
 */
import { and, eq, inArray } from "drizzle-orm";
import { sessionPrincipalLookup } from "../../src/flows/accounts/session-principal";
import { products } from "../../src/flows/catalog/schema";
import type { AbortableStep, CancelReason, StepError, StepName } from "../../src/flows/checkout";
import { reasonForFailure } from "../../src/flows/checkout/cancel-reasons";
import {
  confirmReservation,
  releaseInventory,
  reserveInventory,
  StepFailure,
} from "../../src/flows/checkout/inventory";
import { paymentStepError } from "../../src/flows/checkout/payments";
import { orders } from "../../src/flows/checkout/schema";
import { quotes } from "../../src/flows/pricing/schema";
import { getDb } from "../../src/platform/db/client";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";
import type { AuthorizeRequest } from "../../src/providers/payments/gateway";
import { gatewayFor } from "../../src/providers/payments/select-gateway";
import { newOrder } from "../../src/routes/checkout/orders/order-record";
import { PlaceOrderRequestSchema } from "../../src/routes/checkout/orders/orders.schemas";
import { QuoteLineSchema } from "../../src/routes/pricing/quotes.schemas";

/** Problem answers, shaped as crossdock's (RFC 9457); `step` names the step that failed, if one did. */
const problem = (status: number, slug: string, detail: string, extra: Record<string, unknown> = {}) =>
  Response.json(
    { type: `/problems/${slug}`, title: slug, status, detail, ...extra },
    { status, headers: { "content-type": "application/problem+json" } },
  );

/** The HTTP status a failed step answers with: the provider's or the store's failure, passed through. */
function statusFor(error: StepError): number {
  if (error.kind === "timeout") return 504;
  if (error.kind === "transient") return error.code === "unexpected-error" ? 500 : 502;
  return error.code === "out-of-stock" || error.code === "item-unavailable" ? 409 : 402;
}

async function buyerOf(request: Request, env: Env, now: number): Promise<string | null> {
  const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!token) return null;
  const row = await sessionPrincipalLookup(env.DB).get({ tokenHash: await sha256Hex(token), now });
  return row?.user.id ?? null;
}

export async function placeChainOrder(request: Request, env: Env): Promise<Response> {
  const now = Date.now();
  const buyerId = await buyerOf(request, env, now);
  if (!buyerId) return problem(401, "unauthorized", "A valid session token is required.");
  const parsed = PlaceOrderRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return problem(400, "validation-error", parsed.error.message);
  const { quoteId, paymentMethod } = parsed.data;
  const db = getDb(env.DB);

  const quote = await db
    .select()
    .from(quotes)
    .where(and(eq(quotes.id, quoteId), eq(quotes.userId, buyerId)))
    .get();
  if (!quote) return problem(404, "not-found", `No quote '${quoteId}'.`);
  if (quote.expiresAt <= now) return problem(410, "quote-expired", `Quote '${quoteId}' expired.`);
  const productIds = [
    ...new Set(
      QuoteLineSchema.array()
        .parse(quote.lines)
        .map((l) => l.productId),
    ),
  ];
  const sellers = await db
    .select({ id: products.id, merchantId: products.merchantId })
    .from(products)
    .where(inArray(products.id, productIds));
  const merchantOf = new Map(sellers.map((p) => [p.id, p.merchantId]));
  if (productIds.some((id) => !merchantOf.has(id)))
    return problem(409, "product-unavailable", "A product is no longer sold.");

  const { row } = newOrder(quote, merchantOf, { id: newId("ord", now), buyerId, paymentMethod, now });
  const orderId = row.id;
  try {
    await db.insert(orders).values(row);
  } catch (err) {
    // drizzle wraps D1's error: the constraint is named in its cause.
    if (`${(err as Error).message} ${(err as Error).cause}`.includes("orders.quote_id"))
      return problem(409, "quote-already-used", `Quote '${quoteId}' has already been used.`);
    throw err;
  }

  const gateway = gatewayFor(env);
  const authorize: AuthorizeRequest = {
    idempotencyKey: `${orderId}:authorize`,
    orderId,
    amount: row.totalMinor,
    currency: row.currency,
    paymentMethod,
  };
  // Undos recorded as each step succeeds (or may have), run last-in first on a failure.
  const undo: { step: StepName; run: () => Promise<unknown> }[] = [];
  let step: "reserve-inventory" | "authorize-payment" | "capture-payment" | "confirm-order" =
    "reserve-inventory";
  try {
    await reserveInventory(db, orderId, row.lines, now);
    undo.push({ step: "release-inventory", run: () => releaseInventory(db, orderId, Date.now()) });

    step = "authorize-payment";
    // Voids whatever the authorize request made, even if it timed out without saying.
    undo.push({
      step: "void-authorization",
      run: () => gateway.void({ idempotencyKey: `${orderId}:void`, authorize }),
    });
    const auth = await gateway.authorize(authorize);

    step = "capture-payment";
    await gateway.capture({
      idempotencyKey: `${orderId}:capture`,
      authorizationId: auth.id,
      amount: row.totalMinor,
    });
    undo.length = 0;

    step = "confirm-order";
    await confirmReservation(db, orderId, Date.now());
  } catch (err) {
    const error = err instanceof StepFailure ? err.error : paymentStepError(err);
    // A failed capture reads to the buyer as the payment failing, which is what it is.
    const abortable: AbortableStep = step === "capture-payment" ? "authorize-payment" : step;
    const reason = reasonForFailure(abortable, error);
    const failedUndos: string[] = [];
    for (const u of undo.reverse()) {
      await u.run().catch(() => failedUndos.push(u.step));
    }
    await finish(db, orderId, "cancelled", `Your order was cancelled: ${reason.message}.`, reason);
    return problem(statusFor(error), "chain-step-failed", `${step} failed: ${error.message}`, {
      orderId,
      step,
      error,
      failedUndos,
    });
  }
  await finish(db, orderId, "confirmed", "Your order is confirmed.", null);
  return Response.json({ id: orderId, status: "confirmed" }, { status: 201 });
}

function finish(
  db: ReturnType<typeof getDb>,
  orderId: string,
  status: "confirmed" | "cancelled",
  statusMessage: string,
  cancelReason: CancelReason | null,
) {
  return db
    .update(orders)
    .set({ status, statusMessage, cancelReason, version: 2, updatedAt: Date.now() })
    .where(eq(orders.id, orderId));
}
