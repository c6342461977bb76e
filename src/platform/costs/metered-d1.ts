import { type CostScope, count } from "./meter";

type Meta = { rows_read?: number; rows_written?: number } | undefined;

function countMeta(meta: Meta, fallback: CostScope | undefined) {
  count("d1Queries", 1, fallback);
  if (!meta || typeof meta.rows_read !== "number") {
    count("d1QueriesWithoutMeta", 1, fallback);
    return;
  }
  count("d1RowsRead", meta.rows_read, fallback);
  count("d1RowsWritten", meta.rows_written ?? 0, fallback);
}

/** The runtime's own statement and session, as far as `raw()` needs them (see `rawWithMeta`). */
interface StatementInternals {
  dbSession?: Record<string, unknown>;
  statement?: string;
  params?: unknown[];
}

const firstOf = (r: unknown) => (Array.isArray(r) ? r[0] : r) as { meta?: Meta } | undefined;

/**
 * `raw()` is the one D1 method whose answer drops `meta` (drizzle reads every select with fields through
 * it), yet the runtime receives it. The statement is rebuilt over a view of its session whose two send
 * methods note the meta on the way through. That reaches into the runtime's D1 module (public fields of
 * workerd's d1-api.js), so when they are not there the query is still counted, as one without meta.
 */
function rawWithMeta(real: D1PreparedStatement, fallback: CostScope | undefined) {
  const inner = real as unknown as StatementInternals;
  const session = inner.dbSession;
  const Statement = real.constructor as new (s: unknown, q?: string, p?: unknown[]) => D1PreparedStatement;
  const sends = ["_sendOrThrow", "_queryOrThrow"] as const;
  if (
    !session ||
    typeof inner.statement !== "string" ||
    !sends.every((k) => typeof session[k] === "function")
  ) {
    return null;
  }
  const noting = Object.create(session) as Record<string, unknown>;
  for (const k of sends) {
    const send = session[k] as (...args: unknown[]) => Promise<unknown>;
    noting[k] = async (...args: unknown[]) => {
      const result = await send.apply(session, args);
      countMeta(firstOf(result)?.meta, fallback);
      return result;
    };
  }
  return new Statement(noting, inner.statement, inner.params ?? []);
}

class MeteredStatement {
  constructor(
    readonly real: D1PreparedStatement,
    private readonly fallback: CostScope | undefined,
  ) {}

  bind(...values: unknown[]) {
    return new MeteredStatement(this.real.bind(...values), this.fallback);
  }

  async all<T>() {
    const r = await this.real.all<T>();
    countMeta(r.meta, this.fallback);
    return r;
  }

  async run<T>() {
    const r = await this.real.run<T>();
    countMeta(r.meta, this.fallback);
    return r;
  }

  // Through all(), which answers with meta: D1's first() is the first row of the same query.
  async first<T>(column?: string): Promise<T | null> {
    const row = (await this.all<Record<string, unknown>>()).results[0];
    if (row === undefined) return null;
    if (column === undefined) return row as T;
    if (row[column] === undefined) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
    return row[column] as T;
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    const noted = rawWithMeta(this.real, this.fallback);
    if (noted) return (await noted.raw(options as { columnNames: true })) as T[];
    const rows = await this.real.raw<T>(options as { columnNames: true });
    countMeta(undefined, this.fallback);
    return rows as T[];
  }
}

const unwrap = (s: unknown): D1PreparedStatement =>
  s instanceof MeteredStatement ? s.real : (s as D1PreparedStatement);

/** `prepare` and `batch` counted: what a binding and a session opened on it share. */
function meteredQueries(real: Pick<D1Database, "prepare" | "batch">, fallback: CostScope | undefined) {
  return {
    prepare: (query: string) => new MeteredStatement(real.prepare(query), fallback),
    async batch(statements: unknown[]) {
      const results = await real.batch(statements.map(unwrap));
      for (const r of results) countMeta(r.meta, fallback);
      return results;
    },
  };
}

/**
 * A D1 binding that counts each query and the rows it read and wrote, from each result's `meta`
 * (batches included), for the scope running it or `fallback`. Its sessions (`withSession`, read
 * replication) are counted the same way: a replica's rows are billed like the primary's.
 */
export function meteredD1(real: D1Database, fallback: CostScope | undefined): D1Database {
  const db = {
    ...meteredQueries(real, fallback),
    async exec(query: string) {
      const r = await real.exec(query);
      for (let i = 0; i < r.count; i++) countMeta(undefined, fallback);
      return r;
    },
    withSession(constraintOrBookmark?: string) {
      const session = real.withSession(constraintOrBookmark);
      return { ...meteredQueries(session, fallback), getBookmark: () => session.getBookmark() };
    },
    dump: () => real.dump(),
  };
  return db as unknown as D1Database;
}
