import { and, count, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import type { CurrentData, EventDefinition } from "./define-event";
import type { Causation } from "./envelope";
import { newEvent } from "./new-event";
import type { EventData } from "./registry";
import { outbox } from "./schema";
import { type CurrentEvent, toCurrent } from "./upcast";

/**
 * How a consumer's flow makes real facts for it without a client (the synthetic backlog of
 * POST /ops/faults/backlog): copies of the newest published fact of type `from`, each with its data
 * `vary`'d so that the consumer does the work of a new fact rather than dropping a duplicate.
 * The copies are then written and relayed like any other fact.
 */
export interface SyntheticFacts {
  /** The fact type copied: one the consumer subscribes to (checked when the flows are registered). */
  from: string;
  /**
   * The data of copy number `n` (from 1, numbered on across calls with the same `tag`) of the
   * template's current data. It is validated against the current schema before it is written.
   */
  vary(data: unknown, n: number, tag: string, now: number): unknown;
}

/**
 * Declares a consumer's synthetic facts, typed by the fact they copy.
 *
 * @example
 * synthetic: syntheticFacts(orderPlaced, (data, n, tag) => ({ ...data, note: `${tag}-${n}` })),
 */
export function syntheticFacts<D extends EventDefinition>(
  from: D,
  vary: (data: CurrentData<D>, n: number, tag: string, now: number) => CurrentData<D>,
): SyntheticFacts {
  return { from: from.type, vary: vary as SyntheticFacts["vary"] };
}

/**
 * The newest published fact of a type, at the current version: the template of a synthetic backlog.
 * Null when none is in the outbox. Throws PoisonEventError when it cannot be read as current.
 */
export async function newestPublished(db: Db, type: string): Promise<CurrentEvent | null> {
  const row = await db
    .select({ envelope: outbox.envelope })
    .from(outbox)
    .where(and(eq(outbox.type, type), isNotNull(outbox.publishedAt)))
    .orderBy(desc(outbox.publishedAt), desc(outbox.id))
    .limit(1)
    .get();
  return row ? toCurrent(JSON.parse(row.envelope)) : null;
}

/** How many facts carry this correlation id already: where a backlog's numbering goes on from. */
export async function factsCorrelatedWith(db: Db, correlationId: string): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(outbox)
    .where(eq(outbox.correlationId, correlationId))
    .get();
  return row?.n ?? 0;
}

export interface SyntheticBatch {
  template: CurrentEvent;
  count: number;
  /** The number of the first copy; `vary` gets `first`, `first + 1`, … */
  first: number;
  tag: string;
  causation: Causation;
  now: number;
}

/**
 * New facts copied from `template`: fresh ids, time `now`, the template's type and subject, data
 * `vary`'d and validated at the producer like any fact's (newEvent).
 */
export function synthesize(spec: SyntheticFacts, batch: SyntheticBatch): CurrentEvent[] {
  const { template, causation, now, tag } = batch;
  return Array.from({ length: batch.count }, (_, i) => {
    const data = spec.vary(template.data, batch.first + i, tag, now) as EventData<typeof template.type>;
    return newEvent(template.type, template.subject, data, causation, "/crossdock/ops", now);
  });
}
