import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client";
import { outboxInsertWhen } from "../../platform/events/conditional-outbox";
import type { ConsumerContext } from "../../platform/events/consumer";
import { causedByEvent, newEvent } from "../../platform/events/new-event";
import { publishNow } from "../../platform/events/publish";
import type { CurrentEvent } from "../../platform/events/upcast";
import { PaymentError } from "../../providers/payments/gateway";
import { gatewayFor } from "../../providers/payments/select-gateway";
import { feeBpsOf, statementKeyOf } from "./config";
import { ledgerRows, type SettlementLedger, settle } from "./ledger";
import { entriesOf } from "./queries";
import { settlementLedgerLines, settlements } from "./schema";
import { renderStatement } from "./statement";

/** A settlement may still be settled: never yet, or its payout was refused and an operator redrove it. */
const OPEN_STATUSES = ["pending", "failed"] as const;

/**
 * Settles one merchant's period from its `settlement.opened` fact. Each effect is safe to repeat, in
 * this order, so a redelivery after a crash at any point finishes the job without doing anything twice:
 *
 * 1. the ledger, computed from the entries the opening batch claimed (a fixed set, so every attempt
 *    computes the same numbers);
 * 2. the payout, when one is due, under the key `<settlement id>:payout`: the provider replays it;
 * 3. the CSV statement, put to R2 under a key of the settlement id (a rewrite stores the same bytes);
 * 4. one D1 batch, each statement conditional on the settlement being still open: the ledger lines,
 *    the totals and `settled`, and `settlement.completed` — so the fact is recorded exactly once.
 *
 * A payout the provider refuses marks the settlement `failed` and throws: the message is retried and
 * then dead-lettered (raising the dead-letter alert); once the cause is fixed, a redrive settles it.
 */
export async function settlePeriod(
  event: CurrentEvent<"settlement.opened">,
  ctx: ConsumerContext,
): Promise<void> {
  const { db, env, log } = ctx;
  const id = event.data.settlementId;
  const row = await db.select().from(settlements).where(eq(settlements.id, id)).get();
  // The row commits with the fact, so it exists; if not, something is badly wrong: retry, loudly.
  if (!row) throw new Error(`settlements: no settlement ${id}`);
  if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) {
    log.info("settlement.already-settled", { settlementId: id, status: row.status });
    return;
  }
  const entries = await entriesOf(db, id);
  const feeBps = feeBpsOf(env);
  const ledger = settle(entries, feeBps);

  const payoutId = ledger.payoutMinor > 0 ? await payOut(ctx, row, ledger.payoutMinor) : null;

  const statementKey = statementKeyOf(row.merchantId, id);
  const csv = renderStatement({ ...row, settlementId: id, feeBps, payoutId }, ledger);
  await env.FILES.put(statementKey, csv, {
    httpMetadata: { contentType: "text/csv; charset=utf-8" },
    customMetadata: { settlementId: id, merchantId: row.merchantId },
  });

  const completed = newEvent(
    "settlement.completed",
    id,
    {
      ...event.data,
      grossSalesMinor: ledger.grossSalesMinor,
      feesMinor: ledger.feesMinor,
      refundsMinor: ledger.refundsMinor,
      payoutMinor: ledger.payoutMinor,
      payoutId,
      statementKey,
    },
    causedByEvent(event),
    "/crossdock/consumers/settlements",
    ctx.now,
  );
  const committed = await commit(db, id, ledger, { payoutId, statementKey, completed, now: Date.now() });
  if (!committed) {
    log.info("settlement.already-settled", {
      settlementId: id,
      note: "settled meanwhile by another delivery",
    });
    return;
  }
  log.info("settlement.settled", {
    settlementId: id,
    merchantId: row.merchantId,
    entries: entries.length,
    payoutMinor: ledger.payoutMinor,
    payoutId,
  });
  await publishNow(env, [completed], log);
}

async function payOut(
  { env, db, log }: ConsumerContext,
  row: { id: string; merchantId: string; currency: string },
  amount: number,
): Promise<string> {
  try {
    const payout = await gatewayFor(env).payout({
      idempotencyKey: `${row.id}:payout`,
      merchantId: row.merchantId,
      amount,
      currency: row.currency,
    });
    return payout.id;
  } catch (err) {
    if (err instanceof PaymentError && !err.retryable && err.kind !== "timeout") {
      const failure = `${err.code}: ${err.message}`.slice(0, 500);
      await db
        .update(settlements)
        .set({ status: "failed", failure })
        .where(and(eq(settlements.id, row.id), inArray(settlements.status, [...OPEN_STATUSES])));
      log.error("settlement.payout-refused", { settlementId: row.id, code: err.code, message: err.message });
    }
    throw err;
  }
}

/** The final batch; false when another delivery settled it first (nothing was written). */
async function commit(
  db: Db,
  id: string,
  ledger: SettlementLedger,
  s: { payoutId: string | null; statementKey: string; completed: CurrentEvent; now: number },
): Promise<boolean> {
  const stillOpen = sql`EXISTS (SELECT 1 FROM settlements WHERE id = ${id} AND status IN ('pending', 'failed'))`;
  const lines = ledgerRows(id, ledger);
  const results = await db.batch([
    outboxInsertWhen(db, s.completed, stillOpen, s.now),
    // Only while still open, like the fact: one JSON parameter for every line, in the table's column order.
    db
      .insert(settlementLedgerLines)
      .select(
        sql`SELECT ${id}, json_extract(j.value, '$.lineNo'), json_extract(j.value, '$.account'),
          json_extract(j.value, '$.debitMinor'), json_extract(j.value, '$.creditMinor'),
          json_extract(j.value, '$.description')
        FROM json_each(${JSON.stringify(lines)}) AS j WHERE ${stillOpen}`,
      )
      .onConflictDoNothing(),
    db
      .update(settlements)
      .set({
        status: "settled",
        grossSalesMinor: ledger.grossSalesMinor,
        feesMinor: ledger.feesMinor,
        refundsMinor: ledger.refundsMinor,
        payoutMinor: ledger.payoutMinor,
        payoutId: s.payoutId,
        statementKey: s.statementKey,
        failure: null,
        settledAt: s.now,
      })
      .where(and(eq(settlements.id, id), inArray(settlements.status, [...OPEN_STATUSES])))
      .returning({ id: settlements.id }),
  ]);
  const updated = results.at(-1) as { id: string }[];
  return updated.length === 1;
}
