import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { orderDetails } from "../../src/durable-objects/checkout/order-saga-client";
import { dayOf } from "../../src/flows/settlements/period";
import { newEvent } from "../../src/platform/events/new-event";
import type { EventData } from "../../src/platform/events/registry";
import type { PayoutRequest } from "../../src/providers/payments/gateway";
import { SandboxGateway } from "../../src/providers/payments/sandbox-gateway";
import { sandboxPayouts } from "../../src/providers/payments/sandbox-shards";
import { insertProduct } from "./catalog";
import { eventually } from "./events";
import { postJson } from "./http";
import { insertOrder } from "./orders";
import type { TestProduct } from "./products";
import { deliver } from "./queues";
import type { TestUser } from "./users";

const DAY = 86_400_000;

/** Noon UTC `daysAgo` days ago, and that day as `YYYY-MM-DD`. */
export function dayAgo(daysAgo: number) {
  const start = dayOf(Date.now()).start - daysAgo * DAY;
  return { at: start + 12 * 3_600_000, date: new Date(start).toISOString().slice(0, 10), start };
}

const causation = {
  correlationId: "req-settlement-test",
  causationId: "req-settlement-test",
  traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
};

export const aProductOf = (merchant: TestUser, priceMinor: number) =>
  insertProduct(merchant.id, { priceMinor, title: `Item at ${priceMinor}` });

/** An order's fact as the saga records it, at time `at`. */
export function orderFact(
  type: "order.confirmed" | "order.refunded",
  order: Awaited<ReturnType<typeof insertOrder>>,
  at: number,
) {
  const data: EventData<"order.confirmed"> = {
    orderId: order.id,
    buyerId: order.buyerId,
    amount: order.totalMinor,
    currency: order.currency,
    lines: orderDetails(order).lines,
  };
  return newEvent(type, order.id, data, causation, "/crossdock/order-saga", at);
}

/**
 * A confirmed order of `products` (one each) whose `order.confirmed` (and `order.refunded` when
 * `refundedAt` is given) has gone through the settlement-entries consumer as real queue messages.
 */
export async function settledOrderFacts(
  buyer: TestUser,
  products: TestProduct[],
  o: { confirmedAt: number; refundedAt?: number },
) {
  const order = await insertOrder(buyer.id, products, { status: o.refundedAt ? "refunded" : "confirmed" });
  const facts = [orderFact("order.confirmed", order, o.confirmedAt)];
  if (o.refundedAt !== undefined) facts.push(orderFact("order.refunded", order, o.refundedAt));
  await recordEntries(facts);
  return { order, facts };
}

/** Runs the settlement-entries consumer on `facts` as real queue messages; every one must be acked. */
export async function recordEntries(facts: unknown[]) {
  const result = await deliver(
    "crossdock-settlement-entries",
    facts.map((body) => ({ body })),
  );
  expect(result.explicitAcks.length).toBe(facts.length);
}

export interface RunAnswer {
  period: { start: string; end: string };
  settlements: { id: string; merchantId: string; currency: string }[];
}

export async function runPeriod(admin: TestUser, periodStart?: string) {
  const res = await postJson("/ops/settlements/run", periodStart ? { periodStart } : {}, admin.auth);
  expect(res.status).toBe(202);
  return (await res.json()) as RunAnswer;
}

export const settlementOf = (answer: RunAnswer, merchant: TestUser) => {
  const found = answer.settlements.find((s) => s.merchantId === merchant.id);
  if (!found) throw new Error(`no settlement for ${merchant.id} in ${JSON.stringify(answer)}`);
  return found;
};

export interface SettlementRowView {
  status: string;
  payout_id: string | null;
  payout_minor: number | null;
}

/** Waits for the real settlements consumer to settle it. */
export const settledRow = (id: string) =>
  eventually(() =>
    env.DB.prepare(
      "SELECT status, payout_id, payout_minor FROM settlements WHERE id = ? AND status = 'settled'",
    )
      .bind(id)
      .first<SettlementRowView>(),
  );

/** The local sandbox account the app pays out from (PAYMENTS_PROVIDER = "sandbox"). */
export const sandbox = () => ({
  /** Pays out through the app's own gateway, as the settlements consumer does. */
  payout: (req: PayoutRequest) => new SandboxGateway(env.PAYMENT_SANDBOX).payout(req),
  payouts: (merchantId?: string) => sandboxPayouts(env.PAYMENT_SANDBOX, {}, merchantId),
});

export async function outboxOfSubject(subject: string, type: string) {
  const { results } = await env.DB.prepare("SELECT envelope FROM outbox WHERE subject = ? AND type = ?")
    .bind(subject, type)
    .all<{ envelope: string }>();
  return results.map((r) => JSON.parse(r.envelope) as { id: string; type: string });
}
