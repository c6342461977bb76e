/**
 * The mixed load of a game day, driven through the public HTTP API as real clients would: sign-ups,
 * orders with every sandbox card (quote, then order with an Idempotency-Key), analytics event
 * batches with ids, a catalog import and reports. Every operation is planned up front from a seeded
 * PRNG, sent with retries by ApiClient, and recorded in the History with what the client was told.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { intBetween, mulberry32, pick, type Random } from "../../scripts/demo-data/prng";
import type { ApiClient, Exchange } from "./client";
import type { History, OpRecord, Outcome, RecordOf } from "./history";

export const CARDS = [
  "pm_card_visa",
  "pm_card_declined",
  "pm_card_timeout",
  "pm_card_slow",
  "pm_card_flaky",
] as const;
export const DEMO = {
  buyer: "buyer@demo.crossdock",
  merchant: "merchant@demo.crossdock",
  password: "demo-password-1",
};
const PASSWORD = "gameday-password-1";
const EVENTS_PER_BATCH = 20;

export interface LoadPlanOptions {
  seed: number;
  orders: number;
  /** Buyers signed up before the load starts, who place the orders (with the demo buyer). */
  buyers: number;
  /** Products the orders are spread over (seeded ones with enough stock). */
  products: number;
  importRows: number;
  reports: number;
  /** Catalog imports in the plan (default 1). */
  imports?: number;
  concurrency: number;
  /** Open-loop pace: operations started per second (default: as fast as `concurrency` allows). */
  opsPerSecond?: number;
}

export interface Actors {
  merchantToken: string;
  buyers: { id: string; token: string }[];
  /** The products orders are about (seeded ones, chosen by the caller with enough stock). */
  products: string[];
  /** The products analytics events are about: the merchant's own (a merchant reports only on those). */
  eventProducts: string[];
}

export type PlannedOp =
  | { kind: "order"; n: number; card: string; buyer: number; product: number; quantity: number }
  | { kind: "signup"; n: number }
  | { kind: "events"; n: number; products: number[] }
  | { kind: "import" }
  | { kind: "report"; n: number };

/** The operations of a run, shuffled by the PRNG; the same seed plans the same run. */
export function planLoad(o: LoadPlanOptions, rnd: Random = mulberry32(o.seed)): PlannedOp[] {
  const ops: PlannedOp[] = [];
  for (let n = 0; n < o.orders; n++)
    ops.push({
      kind: "order",
      n,
      card: pick(rnd, CARDS),
      buyer: intBetween(rnd, 0, o.buyers),
      product: intBetween(rnd, 0, o.products - 1),
      quantity: intBetween(rnd, 1, 2),
    });
  for (let n = 0; n < Math.ceil(o.orders / 10); n++) ops.push({ kind: "signup", n });
  for (let n = 0; n < Math.ceil(o.orders / 20); n++)
    ops.push({
      kind: "events",
      n,
      products: Array.from({ length: 3 }, () => intBetween(rnd, 0, o.products - 1)),
    });
  for (let n = 0; n < o.reports; n++) ops.push({ kind: "report", n });
  for (let n = 0; n < (o.imports ?? 1); n++) ops.push({ kind: "import" });
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [ops[i], ops[j]] = [ops[j]!, ops[i]!];
  }
  return ops;
}

const bodyOf = (ex: Exchange) => (ex.answer?.body ?? {}) as Record<string, unknown>;
const problem = (ex: Exchange) => String(bodyOf(ex).type ?? "");

/** How an answer reads to the client: acknowledged, refused, or never known. */
function outcomeOf(ex: Exchange, ok: number[], lateAck?: string): { outcome: Outcome; note?: string } {
  if (!ex.answer) return { outcome: "indeterminate", note: `gave up: ${ex.lastError}` };
  if (ok.includes(ex.answer.status)) return { outcome: "acked" };
  // The first attempt committed and its answer was lost; the retry can only say so.
  if (lateAck && ex.attempts > 1 && problem(ex).endsWith(lateAck))
    return { outcome: "acked", note: `acked late: ${lateAck} on retry` };
  return { outcome: "rejected", note: `${ex.answer.status} ${problem(ex)}` };
}

const base = (id: number, ex: Exchange, verdict: { outcome: Outcome; note?: string }) => ({
  id,
  startedAt: ex.sentAt,
  endedAt: ex.endedAt,
  status: ex.answer?.status ?? null,
  attempts: ex.attempts,
  networkErrors: ex.networkErrors,
  ...verdict,
});

/** A unique word for this run, so its imported products can be found by search. */
export const titleToken = (seed: number) => `gdz${seed.toString(36)}`;
export const signupEmail = (seed: number, n: number) => `gd-${seed}-${n}@gameday.crossdock`;

export class LoadDriver {
  private nextId = 1;

  constructor(
    private readonly api: ApiClient,
    private readonly history: History,
    private readonly options: LoadPlanOptions,
  ) {}

  async signup(
    n: number,
    role: "buyer" | "merchant" = "buyer",
  ): Promise<RecordOf<"signup"> & { token?: string; userId?: string }> {
    const email = signupEmail(this.options.seed, n);
    const ex = await this.api.send({
      method: "POST",
      path: "/v1/auth/signup",
      json: { email, password: PASSWORD, name: `Gameday ${n}`, role },
    });
    const op: RecordOf<"signup"> = {
      flow: "signup",
      email,
      ...base(this.nextId++, ex, outcomeOf(ex, [201], "email-taken")),
    };
    this.history.add(op);
    const body = bodyOf(ex) as { token?: string; user?: { id: string } };
    return { ...op, token: body.token, userId: body.user?.id };
  }

  /** Logs in (setup only: a failure here is the harness's problem, not a finding). */
  async login(email: string, password = PASSWORD): Promise<{ token: string; user: { id: string } }> {
    return this.api.must({ method: "POST", path: "/v1/auth/login", json: { email, password } });
  }

  private async order(op: Extract<PlannedOp, { kind: "order" }>, actors: Actors): Promise<OpRecord> {
    const buyer = actors.buyers[op.buyer % actors.buyers.length]!;
    const productId = actors.products[op.product]!;
    const key = `gd-${this.options.seed}-${op.n}`;
    const fields = {
      flow: "order" as const,
      card: op.card,
      buyerId: buyer.id,
      productId,
      quantity: op.quantity,
    };
    const quote = await this.api.send({
      method: "POST",
      path: "/v1/quotes",
      token: buyer.token,
      idempotencyKey: `${key}-quote`,
      json: { items: [{ productId, quantity: op.quantity }], shipTo: { country: "US" } },
    });
    const quoteId = quote.answer?.status === 200 ? String(bodyOf(quote).id) : null;
    if (!quoteId) {
      const verdict = outcomeOf(quote, []);
      return { ...fields, ...base(this.nextId++, quote, verdict), quoteId, orderId: null, orderSentAt: null };
    }
    const placed = await this.api.send({
      method: "POST",
      path: "/v1/orders",
      token: buyer.token,
      idempotencyKey: key,
      json: { quoteId, paymentMethod: op.card },
    });
    const verdict = outcomeOf(placed, [202], "quote-already-used");
    const orderId = placed.answer?.status === 202 ? String(bodyOf(placed).id) : null;
    return {
      ...fields,
      ...base(this.nextId++, placed, verdict),
      startedAt: quote.sentAt,
      quoteId,
      orderId,
      orderSentAt: placed.sentAt,
    };
  }

  private async events(op: Extract<PlannedOp, { kind: "events" }>, actors: Actors): Promise<OpRecord> {
    const productIds = op.products.map((i) => actors.eventProducts[i % actors.eventProducts.length]!);
    const ids = Array.from({ length: EVENTS_PER_BATCH }, (_, i) => `gd-${this.options.seed}-ev-${op.n}-${i}`);
    const events = ids.map((id, i) => ({
      id,
      type: "product.viewed",
      productId: productIds[i % productIds.length],
    }));
    const ex = await this.api.send({
      method: "POST",
      path: "/v1/events",
      token: actors.merchantToken,
      json: { events },
    });
    const verdict = outcomeOf(ex, [202]);
    const refused = new Set(((bodyOf(ex).rejected ?? []) as { index: number }[]).map((r) => r.index));
    const acceptedIds = verdict.outcome === "acked" ? ids.filter((_, i) => !refused.has(i)) : [];
    return { flow: "events", productIds, ids, acceptedIds, ...base(this.nextId++, ex, verdict) };
  }

  private async import(actors: Actors): Promise<OpRecord> {
    const token = titleToken(this.options.seed);
    const skus = Array.from({ length: this.options.importRows }, (_, i) => `GD-${this.options.seed}-${i}`);
    const rows = skus.map((sku, i) =>
      JSON.stringify({
        sku,
        title: `Gameday ${token} item ${i}`,
        description: "Imported during a game day.",
        category: "office",
        price: "9.99",
        stock: 5,
      }),
    );
    const ex = await this.api.send({
      method: "POST",
      path: "/v1/catalog/imports",
      token: actors.merchantToken,
      raw: { body: `${rows.join("\n")}\n`, contentType: "application/x-ndjson" },
    });
    const verdict = outcomeOf(ex, [202]);
    const jobId = verdict.outcome === "acked" ? String(bodyOf(ex).id) : null;
    return { flow: "import", jobId, skus, titleToken: token, ...base(this.nextId++, ex, verdict) };
  }

  private async report(n: number, actors: Actors): Promise<OpRecord> {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const ex = await this.api.send({
      method: "POST",
      path: "/v1/reports",
      token: actors.merchantToken,
      idempotencyKey: `gd-${this.options.seed}-report-${n}`,
      json: { type: "sales", from: day(-7), to: day(0) },
    });
    const verdict = outcomeOf(ex, [202]);
    const jobId = verdict.outcome === "acked" ? String(bodyOf(ex).id) : null;
    return { flow: "report", jobId, ...base(this.nextId++, ex, verdict) };
  }

  /** One operation, sent and recorded in the history. */
  async perform(op: PlannedOp, actors: Actors): Promise<void> {
    switch (op.kind) {
      case "order":
        this.history.add(await this.order(op, actors));
        return;
      case "signup":
        // Numbered after the setup buyers, so no email is used twice.
        await this.signup(this.options.buyers + op.n);
        return;
      case "events":
        this.history.add(await this.events(op, actors));
        return;
      case "import":
        this.history.add(await this.import(actors));
        return;
      case "report":
        this.history.add(await this.report(op.n, actors));
        return;
      default: {
        const unhandled: never = op;
        throw new Error(`unknown op ${JSON.stringify(unhandled)}`);
      }
    }
  }

  /**
   * Runs the plan with `concurrency` clients; `onProgress(done, total)` after each operation. With
   * `opsPerSecond`, operation i starts no earlier than i / opsPerSecond after the start (a steady
   * arrival rate, so a slow system cannot slow its own load down); `signal` stops it early.
   */
  async run(
    plan: PlannedOp[],
    actors: Actors,
    onProgress: (done: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    let next = 0;
    let done = 0;
    const t0 = Date.now();
    const pace = this.options.opsPerSecond;
    const client = async () => {
      for (let i = next++; i < plan.length && !signal?.aborted; i = next++) {
        if (pace) await sleep(Math.max(0, t0 + (i * 1000) / pace - Date.now()));
        if (signal?.aborted) return;
        await this.perform(plan[i]!, actors);
        onProgress(++done, plan.length);
      }
    };
    await Promise.all(Array.from({ length: this.options.concurrency }, client));
  }
}
