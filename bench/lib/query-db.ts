/**
 * D1 through the bench's D1 query worker (D1_QUERY_WORKER in ./runtime.ts), over fetch only: no Node or
 * Miniflare import, so pure harness modules that the workers tests load can use it too.
 */
/** A statement for the D1 query worker: the SQL and its values, sent when it runs. */
export interface QueryStatement {
  bind(...params: unknown[]): QueryStatement;
  first<T>(): Promise<T | null>;
  all<T>(): Promise<{ results: T[] }>;
}

/** The D1 calls a harness makes while the worker runs, through the D1 query worker (see queryDb). */
export interface QueryDb {
  prepare(sql: string): QueryStatement;
  /** One D1 batch (one transaction), as `D1Database.batch`. */
  batch(statements: QueryStatement[]): Promise<unknown[][]>;
}

/**
 * D1 through the query worker at `queryUrl`, with the shape of the binding's calls a harness uses, so
 * polls and checks never take Miniflare's Node proxy while workers are logging (see
 * CrossdockRuntime.queryUrl for the deadlock that proxy runs into).
 */
export function queryDb(queryUrl: URL, { timeoutMs = 60_000 } = {}): QueryDb {
  const post = async (body: unknown) => {
    const res = await fetch(queryUrl, {
      method: "POST",
      signal: AbortSignal.timeout(timeoutMs),
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`D1 query failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { results: unknown[] }).results;
  };
  const statement = (
    sql: string,
    params: unknown[],
  ): QueryStatement & { sql: string; params: unknown[] } => ({
    sql,
    params,
    bind: (...values) => statement(sql, values),
    first: async <T>() => ((await post({ sql, params })) as T[])[0] ?? null,
    all: async <T>() => ({ results: (await post({ sql, params })) as T[] }),
  });
  return {
    prepare: (sql) => statement(sql, []),
    batch: async (statements) =>
      (await post({
        batch: statements.map((s) => {
          const { sql, params } = s as ReturnType<typeof statement>;
          return { sql, params };
        }),
      })) as unknown[][],
  };
}
