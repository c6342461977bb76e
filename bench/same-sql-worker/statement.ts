import { is, Param, Placeholder } from "drizzle-orm";

/** SQL rendered once by crossdock's own query builder, and the placeholder each `?` stands for. */
export interface RenderedStatement {
  sql: string;
  names: string[];
}

/**
 * Renders a drizzle query whose values are all `sql.placeholder`s, at start-up: requests then go
 * straight to D1 with `bindNamed`. Throws if a value was not a placeholder, i.e. if the builder
 * started putting something of its own into the statement that this baseline would not bind.
 */
export function render(query: { toSQL(): { sql: string; params: unknown[] } }): RenderedStatement {
  const { sql, params } = query.toSQL();
  const names = params.map((p) => {
    if (is(p, Placeholder)) return p.name;
    if (is(p, Param) && is(p.value, Placeholder)) return p.value.name;
    throw new Error(`same-SQL worker: a parameter of "${sql}" is not a placeholder`);
  });
  return { sql, names };
}

/** The statement bound to `values` by placeholder name. */
export const bindNamed = (
  db: D1Database | D1DatabaseSession,
  s: RenderedStatement,
  values: Record<string, unknown>,
) => db.prepare(s.sql).bind(...s.names.map((name) => values[name]));
