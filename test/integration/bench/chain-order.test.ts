import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import chainWorker from "../../../bench/chain-worker";
import { insertProduct } from "../../support/catalog";
import { clearFaults, injectFault } from "../../support/faults";
import { insertQuote } from "../../support/orders";
import { ledgerOf, orderRow, reservationsOf, stockOf } from "../../support/saga-orders";
import { createTestUser, type TestUser } from "../../support/users";

/** The bench-only request chain (bench/chain-worker): the whole checkout inside one request. */
let buyer: TestUser;
let admin: TestUser;
beforeEach(async () => {
  buyer = await createTestUser("buyer");
  admin = await createTestUser("admin");
  await clearFaults(admin);
});

async function aQuote(stock = 5) {
  const merchant = await createTestUser("merchant");
  const product = await insertProduct(merchant.id, { stock, priceMinor: 1200 });
  return { product, quote: await insertQuote(buyer.id, [{ product, quantity: 2 }]) };
}

const placeChain = (body: unknown, headers: Record<string, string> = buyer.auth) =>
  chainWorker.fetch(
    new Request("http://crossdock.test/chain/orders", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
    env,
    { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext,
  );

describe("POST /chain/orders", () => {
  it("answers 201 only once the order is reserved, authorized, captured and confirmed", async () => {
    const { product, quote } = await aQuote();
    const res = await placeChain({ quoteId: quote.id, paymentMethod: "pm_card_visa" });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = await res.json<{ id: string }>();
    expect(await orderRow(id)).toMatchObject({ status: "confirmed", cancel_reason: null });
    expect(await stockOf(product.id)).toBe(3);
    expect(await reservationsOf(id)).toEqual([{ product_id: product.id, quantity: 2, state: "sold" }]);
    const ledger = await ledgerOf(id);
    expect(ledger.authorizations.map((a) => a.status)).toEqual(["captured"]);
    expect(ledger.captures.map((c) => c.amount)).toEqual([quote.totalMinor]);
  });

  it("fails the request when the provider fails, undoing what it did: 502, cancelled, stock back, no charge", async () => {
    await injectFault(admin, { kind: "provider-outage", provider: "payments", mode: "fail" });
    const { product, quote } = await aQuote();
    const res = await placeChain({ quoteId: quote.id, paymentMethod: "pm_card_visa" });
    expect(res.status).toBe(502);
    const body = await res.json<{ orderId: string; step: string; failedUndos: string[] }>();
    // The outage fails the blind void too: the chain has no retry to fall back on.
    expect(body).toMatchObject({ step: "authorize-payment", failedUndos: ["void-authorization"] });
    expect(await orderRow(body.orderId)).toMatchObject({ status: "cancelled" });
    expect(JSON.parse((await orderRow(body.orderId))!.cancel_reason!)).toMatchObject({
      code: "payment-unavailable",
    });
    expect(await stockOf(product.id)).toBe(5);
    expect((await ledgerOf(body.orderId)).captures).toEqual([]);
  });

  it("declined card: 402 and cancelled; a used quote: 409; no session: 401", async () => {
    const { quote } = await aQuote();
    const declined = await placeChain({ quoteId: quote.id, paymentMethod: "pm_card_declined" });
    expect(declined.status).toBe(402);
    const again = await placeChain({ quoteId: quote.id, paymentMethod: "pm_card_visa" });
    expect(again.status).toBe(409);
    expect(await placeChain({ quoteId: quote.id, paymentMethod: "pm_card_visa" }, {})).toHaveProperty(
      "status",
      401,
    );
  });
});
