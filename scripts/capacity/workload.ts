import { ENTRY_POINTS } from "../../src/entry-points";
import { CHUNK_ROWS } from "../../src/flows/catalog-import/chunks";
import { CONSUMERS, EVENT_CATALOG } from "../../src/flows/index";
import type { Usage } from "../../src/platform/costs/model";
import { DO_BILLED_GB, PRICES, type PriceName } from "../../src/platform/costs/prices";
import { newEvent } from "../../src/platform/events/new-event";
import type { EventData, EventType } from "../../src/platform/events/registry";
import type { ConsumerSpec, FactLoad } from "./plan";

/**
 * What Crossdock does per unit of load, from its own code and docs/BENCHMARKS.md: the facts each unit
 * publishes (the consumers' subscriptions then decide the messages), the rows and calls each unit costs,
 * and how long each consumer takes per message. Every figure that is an assumption says so.
 */

/** The load to plan for, per second. */
export interface Load {
  checkoutsPerS: number;
  /** Share of confirmed orders later refunded, 0 to 1 (their D1 and DO costs are not measured). */
  refundShare: number;
  signupsPerS: number;
  /** Client events (POST /v1/events). */
  eventsPerS: number;
  importRowsPerS: number;
  /**
   * Events per `analytics.events_received` fact: the API packs a request's events into facts of up to
   * 500 (src/routes/analytics/queue-events.ts), but the storefront's script posts what one visitor did in
   * 1.5 s (public/web/analytics.js), often a single event. Default 1: the worst case for the queue.
   */
  eventsPerMessage: number;
  /** Rows per catalog upload: one planner message each (assumption: the size bench:imports uploads). */
  rowsPerUpload: number;
  /** How long a consumer may be down (an outage, a bad deploy) with its messages waiting. */
  recoveryMinutes: number;
}

export const DEFAULT_LOAD: Load = {
  checkoutsPerS: 500,
  refundShare: 0,
  signupsPerS: 10,
  eventsPerS: 20_000,
  importRowsPerS: 1_000,
  eventsPerMessage: 1,
  rowsPerUpload: 100_000,
  recoveryMinutes: 30,
};

/**
 * Facts per second by type. A checkout that ends confirmed publishes `order.placed` and `order.confirmed`
 * with subscribers (the saga's own step facts, `inventory.reserved`, `payment.authorized`,
 * `payment.captured`, have none: they are outbox rows only): 3 + 5 messages. A cancelled order is as
 * many (3 + 2 + 3) to lighter consumers, so every order is counted as confirmed; a refund adds
 * `order.refund_requested` and `order.refunded` (2 + 4). Settlements, reports and alerts are per
 * merchant per day or rarer: left at 0.
 */
export function factsPerS(load: Load): Record<string, number> {
  return {
    "order.placed": load.checkoutsPerS,
    "order.confirmed": load.checkoutsPerS,
    "order.refund_requested": load.checkoutsPerS * load.refundShare,
    "order.refunded": load.checkoutsPerS * load.refundShare,
    "user.registered": load.signupsPerS,
    "analytics.events_received": load.eventsPerS / load.eventsPerMessage,
    "catalog.import_uploaded": load.importRowsPerS / load.rowsPerUpload,
    "catalog.import_chunk_staged": load.importRowsPerS / CHUNK_ROWS,
  };
}

/**
 * Each fact type's message: the envelope around its current version's example, as JSON bytes. An
 * analytics fact carries `eventsPerMessage` copies of the example's first event.
 */
export function messageBytes(eventsPerMessage: number): Record<string, number> {
  const out: Record<string, number> = {};
  const causation = { correlationId: "req_capacity", causationId: "req_capacity", traceparent: "00-0-0-01" };
  for (const [type, def] of Object.entries(EVENT_CATALOG)) {
    let data = def.versions.at(-1)?.example as Record<string, unknown>;
    if (type === "analytics.events_received") {
      const first = (data.events as unknown[])[0];
      data = { ...data, events: Array.from({ length: eventsPerMessage }, () => first) };
    }
    const envelope = newEvent(
      type as EventType,
      "usr_01",
      data as EventData<EventType>,
      causation,
      "/crossdock/api",
      0,
    );
    out[type] = new TextEncoder().encode(JSON.stringify(envelope)).byteLength;
  }
  return out;
}

export const factLoad = (load: Load): FactLoad => ({
  factsPerS: factsPerS(load),
  messageBytes: messageBytes(load.eventsPerMessage),
});

/** Where the per-unit operations below were measured. */
export const MEASURED_IN = "docs/BENCHMARKS.md, Costs (commit 975a69e, 2026-12-05)";

/**
 * Measured dollars per 1M units by line item, as docs/BENCHMARKS.md's Costs table prints them; turned
 * back into operations with the same prices, so no figure is written twice. Queue operations and Worker
 * requests are left out: the plan derives them from the topology.
 */
const MEASURED_DOLLARS_PER_MILLION = {
  checkout: {
    d1RowRead: 0.1001,
    d1RowWritten: 151,
    doRequest: 1.77,
    doDurationGbS: 0.8811,
    doSqlRowRead: 0.0064,
    doSqlRowWritten: 13.06,
  },
  signup: {
    d1RowRead: 0.0442,
    d1RowWritten: 36.35,
    doRequest: 0.33,
    doDurationGbS: 0.0067,
    doSqlRowRead: 0.0022,
    doSqlRowWritten: 4.55,
  },
  importRow: { d1RowRead: 0.0035, d1RowWritten: 7.89, doRequest: 0.0001, r2ClassA: 0.0022, r2ClassB: 0.0005 },
  event: { d1RowRead: 0.0072, d1RowWritten: 1.38, doRequest: 0.0001 },
} as const satisfies Record<string, Partial<Record<PriceName, number>>>;

type Unit = keyof typeof MEASURED_DOLLARS_PER_MILLION;

/**
 * Rows an analytics fact costs of its own, whatever it carries (assumption: outbox insert and publish
 * mark, the request record, `processed_events`, two `consumer_attempts` writes, the delivery ledger). The
 * measured figure above was taken with many events per fact, where these spread thin.
 */
export const ANALYTICS_ROWS_PER_FACT = 6;

const FIELD: Partial<Record<PriceName, keyof Usage>> = {
  d1RowRead: "d1RowsRead",
  d1RowWritten: "d1RowsWritten",
  doRequest: "doRequests",
  doSqlRowRead: "doSqlRowsRead",
  doSqlRowWritten: "doSqlRowsWritten",
  r2ClassA: "r2ClassA",
  r2ClassB: "r2ClassB",
};

/** One unit's measured operations, from its dollars per 1M and the unit prices. */
export function measuredPerUnit(unit: Unit): Partial<Usage> {
  const out: Partial<Usage> = {};
  for (const [item, perMillion] of Object.entries(MEASURED_DOLLARS_PER_MILLION[unit]) as [
    PriceName,
    number,
  ][]) {
    const p = PRICES[item];
    const quantity = perMillion / 1e6 / (p.dollars / p.per);
    if (item === "doDurationGbS") out.doWallMs = (quantity / DO_BILLED_GB) * 1000;
    else out[FIELD[item] as keyof Usage] = quantity;
  }
  return out;
}

/**
 * What the load costs per second beyond its queues: the request that starts each unit (an order, a
 * sign-up, an analytics post, an upload) and the measured D1, Durable Object and R2 operations.
 */
export function perSecondUsage(load: Load): Partial<Usage> {
  const rates: Record<Unit, number> = {
    checkout: load.checkoutsPerS,
    signup: load.signupsPerS,
    importRow: load.importRowsPerS,
    event: load.eventsPerS,
  };
  const out: Partial<Usage> = {
    fetches:
      load.checkoutsPerS +
      load.signupsPerS +
      load.eventsPerS / load.eventsPerMessage +
      load.importRowsPerS / load.rowsPerUpload,
    d1RowsWritten: (load.eventsPerS / load.eventsPerMessage) * ANALYTICS_ROWS_PER_FACT,
  };
  for (const unit of Object.keys(rates) as Unit[])
    for (const [field, q] of Object.entries(measuredPerUnit(unit)) as [keyof Usage, number][])
      out[field] = (out[field] ?? 0) + q * rates[unit];
  return out;
}

/**
 * Rows written per second one D1 database takes (assumption): D1 runs one query at a time, about 1,000
 * a second at 1 ms each (LIMITS.d1QueriesPerSAt1Ms); counted as one row per write query until the shard
 * work measures Crossdock's own ceiling. Crossdock's batches write several rows per query, so this errs
 * towards more shards. `--d1-write-ceiling` replaces it.
 */
export const D1_WRITE_CEILING_ROWS_PER_S = 1_000;

/** Where each consumer's time per message comes from: measured (local workerd) or assumed. */
export const HANDLING_MS: Record<string, { ms: number; source: string }> = {
  "user-stats": { ms: 1000 / 3109, source: "measured: bench:events drain, 3,109 msgs/s, local" },
  "catalog-import-chunks": {
    ms: (CHUNK_ROWS / 13_359) * 1000,
    source: "measured: bench:imports, 13,359 rows/s, 1,000 rows a chunk, local",
  },
  reports: { ms: 1604, source: "measured: bench:reports, 100,000-row report ready in 1,604 ms, local" },
  email: { ms: 250, source: "assumed: one HTTP call to the email provider" },
  settlements: { ms: 1000, source: "assumed: a payout call, an R2 write and a D1 batch" },
  "catalog-imports": { ms: 5000, source: "assumed: the planner reads a 100,000-row upload" },
  "order-saga": { ms: 20, source: "assumed: one Durable Object call (start: persist, arm alarm)" },
};

/** For every other consumer: a dedup check and one D1 batch, two round trips of ~5 ms (assumed). */
export const DEFAULT_HANDLING = { ms: 10, source: "assumed: two D1 round trips" };

const HANDLERS = Object.fromEntries(
  Object.values(ENTRY_POINTS).flatMap((f) => Object.values(f.consumers).map((c) => [c.name, c])),
) as Record<string, { concurrency?: number }>;

/**
 * Every consumer the flows declare (src/flows/*\/flow.ts, kept equal to wrangler.toml by
 * test/contract/wrangler-config.test.ts), with its handler's own concurrency within a batch and its time
 * per message; `overrides` replaces the time of the consumers it names (`--handling-ms name=ms`).
 */
export function crossdockConsumers(overrides: Readonly<Record<string, number>> = {}): ConsumerSpec[] {
  return Object.entries(CONSUMERS).map(([name, c]) => {
    const handling = HANDLING_MS[name] ?? DEFAULT_HANDLING;
    const override = overrides[name];
    return {
      name,
      queue: c.queue,
      batchSize: c.delivery.maxBatchSize,
      inParallel: HANDLERS[name]?.concurrency ?? 1,
      handlingMs: override ?? handling.ms,
      handlingSource: override === undefined ? handling.source : "--handling-ms",
      subscribes: c.subscribes,
    };
  });
}
