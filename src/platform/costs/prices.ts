/**
 * Cloudflare's published unit prices for the Workers Paid plan, in US dollars, in one dated place: the
 * cost model (`model.ts`), `GET /ops/costs` and `npm run bench:costs` all read them from here, so an
 * update is one edit. Every price names the page it was read from and when; the free allowances of the
 * paid plan are kept apart (`INCLUDED_PER_MONTH`) because a cost per 1M facts must not depend on how
 * much of the month's allowance other traffic has already used.
 *
 * Read on 2026-12-05 from the pages below (checked against Cloudflare's docs; the Queues and D1 figures
 * were confirmed through copies of those pages, the pages themselves not being in the search index).
 * The log prices were read on 2026-12-06: from 2026-12-01 Workers Logs are billed by the GB, under
 * Cloudflare Observability's pricing, no longer by the line.
 */
export const PRICES_READ_ON = "2026-12-05";

const M = 1_000_000;

/** A unit price: dollars per `per` units of `unit`, and where it was read. */
export interface UnitPrice {
  readonly dollars: number;
  readonly per: number;
  readonly unit: string;
  readonly source: string;
}

const price = (dollars: number, per: number, unit: string, source: string): UnitPrice => ({
  dollars,
  per,
  unit,
  source,
});

const WORKERS = "https://developers.cloudflare.com/workers/platform/pricing/";
const QUEUES = "https://developers.cloudflare.com/queues/platform/pricing/";
const D1 = "https://developers.cloudflare.com/d1/platform/pricing/";
const DO = "https://developers.cloudflare.com/durable-objects/platform/pricing/";
const R2 = "https://developers.cloudflare.com/r2/pricing/";
const WORKFLOWS = "https://developers.cloudflare.com/workflows/reference/pricing/";
const OBSERVABILITY = "https://developers.cloudflare.com/observability/pricing/";

export const PRICES = {
  /** Every invocation: fetch, queue batch, cron. (A Durable Object's alarm is a DO request instead.) */
  workerRequest: price(0.3, M, "request", WORKERS),
  workerCpuMs: price(0.02, M, "CPU ms", WORKERS),
  /** Per 64 KB written, read or deleted: a delivery is write + read + delete, a retry one more read. */
  queueOperation: price(0.4, M, "64 KB operation", QUEUES),
  d1RowRead: price(0.001, M, "row read", D1),
  d1RowWritten: price(1.0, M, "row written", D1),
  d1StorageGbMonth: price(0.75, 1, "GB-month", D1),
  /** HTTP requests, each RPC method call on a stub, WebSocket messages and alarm invocations. */
  doRequest: price(0.15, M, "request", DO),
  /** Wall-clock time while the object is active, billed at 128 MB: GB-s = seconds x 0.128. */
  doDurationGbS: price(12.5, M, "GB-s", DO),
  doSqlRowRead: price(0.001, M, "row read", DO),
  doSqlRowWritten: price(1.0, M, "row written", DO),
  doStorageGbMonth: price(0.2, 1, "GB-month", DO),
  r2ClassA: price(4.5, M, "class A operation", R2),
  r2ClassB: price(0.36, M, "class B operation", R2),
  r2StorageGbMonth: price(0.015, 1, "GB-month", R2),
  /** Workflows are billed as Workers Standard: invocations, CPU and stored step state; no fee per step. */
  workflowRequest: price(0.3, M, "invocation", WORKFLOWS),
  workflowCpuMs: price(0.02, M, "CPU ms", WORKFLOWS),
  workflowStorageGbMonth: price(0.2, 1, "GB-month", WORKFLOWS),
  /** Workers Logs: every line the worker writes, measured before compression. */
  logIngestGb: price(0.25, 1, "GB of logs ingested", OBSERVABILITY),
  /** Logs are kept LOG_RETENTION_DAYS, so each GB ingested is stored for that many days / 30 GB-month. */
  logStorageGbMonth: price(0.1, 1, "GB-month of logs stored", OBSERVABILITY),
} as const satisfies Record<string, UnitPrice>;

export type PriceName = keyof typeof PRICES;

/** The Workers Paid plan's monthly fee, which includes the allowances below. */
export const PAID_PLAN_MONTHLY_DOLLARS = 5;

/** What the paid plan includes each month before any unit price applies (same sources). */
export const INCLUDED_PER_MONTH: Partial<Record<PriceName, number>> = {
  workerRequest: 10 * M,
  workerCpuMs: 30 * M,
  queueOperation: 1 * M,
  d1RowRead: 25_000 * M,
  d1RowWritten: 50 * M,
  d1StorageGbMonth: 5,
  doRequest: 1 * M,
  doDurationGbS: 400_000,
  doSqlRowRead: 25_000 * M,
  doSqlRowWritten: 50 * M,
  doStorageGbMonth: 5,
  r2ClassA: 1 * M,
  r2ClassB: 10 * M,
  r2StorageGbMonth: 10,
  workflowStorageGbMonth: 1,
  logIngestGb: 50,
  logStorageGbMonth: 12,
};

/** How long Workers Logs keeps a line (the default and, for now, only retention). */
export const LOG_RETENTION_DAYS = 7;

/** Memory a Durable Object is billed at, in GB (duration is wall time x this). */
export const DO_BILLED_GB = 0.128;

/** The unit Queues bills in: a message of n bytes is ceil(n / 64 KB) operations for each of write, read, delete. */
export const QUEUE_OPERATION_BYTES = 64 * 1024;
