import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { outboxInsertWhen } from "../../platform/events/conditional-outbox";
import type { D1Statement } from "../../platform/events/consumer";
import type { Causation } from "../../platform/events/envelope";
import { newEvent } from "../../platform/events/new-event";
import { outboxStatements, type RequestRecord } from "../../platform/events/outbox";
import type { CurrentEvent } from "../../platform/events/upcast";
import { newId } from "../../platform/ids";
import type { Period } from "./period";
import { settlementEntries, settlements } from "./schema";

export interface OpenedSettlement {
  id: string;
  merchantId: string;
  currency: string;
}

export interface OpenResult {
  /** Every settlement of the period, opened now or by an earlier run. */
  settlements: OpenedSettlement[];
  /** The `settlement.opened` facts this run committed; publish them after the call. */
  opened: CurrentEvent<"settlement.opened">[];
}

// Three statements per merchant; a batch per 25 merchants keeps each batch small.
const MERCHANTS_PER_BATCH = 25;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Opens the period's settlements: one per merchant and currency with unsettled entries before the
 * period's end (a late entry of an earlier day is settled with this one). For each, ONE batch inserts
 * the row (`ON CONFLICT DO NOTHING` on merchant, period, currency), claims the entries and records
 * `settlement.opened` — the last two only if that very row was inserted. So running a period twice, or
 * twice at once, opens each settlement once and records one fact; the loser's batch changes nothing.
 *
 * @example
 * const { opened } = await openSettlements(env, previousDay(now), { now, causation });
 * await publishNow(env, opened, log);
 */
export async function openSettlements(
  env: Pick<Env, "DB">,
  period: Period,
  ctx: { now: number; causation: Causation; request?: RequestRecord },
): Promise<OpenResult> {
  const db = getDb(env.DB);
  const candidates = await db
    .selectDistinct({ merchantId: settlementEntries.merchantId, currency: settlementEntries.currency })
    .from(settlementEntries)
    .where(and(isNull(settlementEntries.settlementId), lt(settlementEntries.occurredAt, period.end)))
    .orderBy(asc(settlementEntries.merchantId), asc(settlementEntries.currency));

  const opened: CurrentEvent<"settlement.opened">[] = [];
  for (let i = 0; i < candidates.length; i += MERCHANTS_PER_BATCH) {
    const chunk = candidates.slice(i, i + MERCHANTS_PER_BATCH);
    const statements: D1Statement[] = [];
    const events: CurrentEvent<"settlement.opened">[] = [];
    for (const { merchantId, currency } of chunk) {
      const id = newId("stl", ctx.now);
      const event = newEvent(
        "settlement.opened",
        id,
        {
          settlementId: id,
          merchantId,
          currency,
          periodStart: iso(period.start),
          periodEnd: iso(period.end),
        },
        ctx.causation,
        "/crossdock/settlements",
        ctx.now,
      );
      const insertedNow = sql`EXISTS (SELECT 1 FROM settlements WHERE id = ${id})`;
      statements.push(
        db
          .insert(settlements)
          .values({
            id,
            merchantId,
            periodStart: period.start,
            periodEnd: period.end,
            currency,
            status: "pending",
            createdAt: ctx.now,
          })
          .onConflictDoNothing(),
        db
          .update(settlementEntries)
          .set({ settlementId: id })
          .where(
            and(
              eq(settlementEntries.merchantId, merchantId),
              eq(settlementEntries.currency, currency),
              isNull(settlementEntries.settlementId),
              lt(settlementEntries.occurredAt, period.end),
              insertedNow,
            ),
          ),
        outboxInsertWhen(db, event, insertedNow, ctx.now),
      );
      events.push(event);
    }
    const root = ctx.request ? outboxStatements(db, [], ctx.request, ctx.now) : [];
    await db.batch([...root, ...statements] as [D1Statement, ...D1Statement[]]);
    const mine = new Set(
      (
        await db
          .select({ id: settlements.id })
          .from(settlements)
          .where(
            sql`${settlements.id} IN (SELECT value FROM json_each(${JSON.stringify(events.map((e) => e.subject))}))`,
          )
      ).map((r) => r.id),
    );
    opened.push(...events.filter((e) => mine.has(e.subject)));
  }

  const all = await db
    .select({ id: settlements.id, merchantId: settlements.merchantId, currency: settlements.currency })
    .from(settlements)
    .where(eq(settlements.periodStart, period.start))
    .orderBy(asc(settlements.merchantId), asc(settlements.currency));
  return { settlements: all, opened };
}
