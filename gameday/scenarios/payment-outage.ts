/**
 * `npm run gameday -- payment-outage`: the payment gateway fails every call for 30 s during checkout
 * load. The sagas must retry or compensate per their policy: no order left hanging, no charge without
 * a confirmed order, and checkout confirming orders again once the gateway is back.
 */
import type { GamedayContext, ScenarioDefinition } from "../lib/gameday";
import type { HypothesisCheck } from "../lib/report-model";

interface Profile {
  opsPerSecond: number;
  steadyS: number;
  outageS: number;
  afterS: number;
  mode: "fail" | "timeout";
}

const orders = (p: Profile) => Math.round((p.opsPerSecond * (p.steadyS + p.outageS + p.afterS)) / 1.15);

export const paymentOutage: ScenarioDefinition<Profile> = {
  name: "payment-outage",
  summary: "the payment gateway fails every call for 30 s during checkout load",
  hypothesis:
    "While the payment gateway fails every call for 30 s, every order placed still reaches a final status (confirmed once the gateway answers again, or cancelled with its authorization released), no card is charged without a confirmed order, and checkout confirms orders again once the gateway is back.",
  steadyState:
    "Checkout load at a fixed rate: orders with the sandbox's cards confirm or are declined within seconds.",
  method: [
    "Start the mixed load (mostly orders) at a fixed rate.",
    "Set a provider-outage fault on payments (every authorize, capture, void and refund fails) for 30 s.",
    "Keep the load going; wait for every order to reach a final status.",
    "Check orders, charges and holds against the history.",
  ],
  abortCondition: "The runtime fails its health check for 30 s.",
  rollback: "DELETE /ops/faults ends the outage, on success, failure, abort or Ctrl-C alike.",
  profiles: {
    full: { opsPerSecond: 3, steadyS: 20, outageS: 30, afterS: 30, mode: "fail" },
    ci: { opsPerSecond: 3, steadyS: 10, outageS: 15, afterS: 15, mode: "fail" },
  },
  load: () => ({ orders: 0, buyers: 4, products: 8, importRows: 0, imports: 0, reports: 0, concurrency: 8 }),
  figurePhases: ["steady", "outage", "recovery"],

  async run(ctx: GamedayContext, p: Profile) {
    ctx.phase("steady");
    const load = ctx.startLoad(p.opsPerSecond, orders(p));
    await ctx.sleep(p.steadyS * 1000);
    const outage = await ctx.inject(
      { kind: "provider-outage", provider: "payments", mode: p.mode },
      p.outageS,
      `payments ${p.mode === "fail" ? "failing" : "timing out"}`,
    );
    ctx.phase("outage");
    await ctx.sleep(p.outageS * 1000);
    await ctx.clear(outage);
    const outageEnd = Date.now();
    ctx.phase("recovery");
    await load;
    const settledAt = await ctx.waitFor(() => openOrders(ctx) === 0, 300_000, 2000);

    const from = Date.parse(outage.createdAt);
    const during = ctx.history
      .of("order")
      .filter(
        (o) => o.orderSentAt !== null && o.orderSentAt >= from && o.orderSentAt < outageEnd && o.quoteId,
      );
    const rows = ctx.state.d1<{ quote_id: string; status: string; updated_at: number }>(
      "SELECT quote_id, status, updated_at FROM orders WHERE created_at >= ?",
      [ctx.phases[0]!.from],
    );
    const byQuote = new Map(rows.map((r) => [r.quote_id, r]));
    const outcomes = new Map<string, number>();
    for (const o of during) {
      const status = byQuote.get(o.quoteId!)?.status ?? "absent";
      outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
    }
    const firstConfirmed = rows
      .filter((r) => r.status === "confirmed" && r.updated_at > outageEnd)
      .reduce((min, r) => Math.min(min, r.updated_at), Number.POSITIVE_INFINITY);
    const [faulted] = (await ctx.ops.faults()).faults.filter((f) => f.id === outage.id);
    const injected = faulted?.injected ?? 0;
    const checks: HypothesisCheck[] = [
      {
        name: "every order placed during the outage reaches a final status",
        expected: "confirmed, cancelled or refunded",
        actual:
          [...outcomes]
            .sort()
            .map(([s, n]) => `${n} ${s}`)
            .join(", ") || "no order placed during the outage",
        held:
          during.length > 0 &&
          [...outcomes.keys()].every((s) => ["confirmed", "cancelled", "refunded"].includes(s)),
      },
      {
        name: "no order stuck",
        expected: "0 orders open after the load",
        actual: settledAt === null ? `${openOrders(ctx)} still open` : "0",
        held: settledAt !== null,
      },
      {
        name: "checkout confirms orders again after the outage",
        expected: "an order confirmed after the gateway is back",
        actual: Number.isFinite(firstConfirmed)
          ? `first after ${((firstConfirmed - outageEnd) / 1000).toFixed(1)} s`
          : "none confirmed",
        held: Number.isFinite(firstConfirmed),
      },
      {
        name: "the outage was injected and counted",
        expected: "> 0 gateway calls failed as injected",
        actual: `${injected}`,
        held: injected > 0,
      },
    ];
    return {
      checks,
      timeToRecoverMs: Number.isFinite(firstConfirmed) ? firstConfirmed - outageEnd : null,
      notes: [
        "No charge without a confirmed order and no hold left on a finished order are the checker's invariants (order flow table).",
      ],
    };
  },
};

function openOrders(ctx: GamedayContext): number {
  return (
    ctx.state.d1<{ n: number }>(
      "SELECT count(*) AS n FROM orders WHERE status NOT IN ('confirmed', 'cancelled', 'refunded') AND created_at >= ?",
      [ctx.phases[0]!.from],
    )[0]?.n ?? 0
  );
}
