import { bindingOf, type D1Handle, type Db, getDb } from "./client";

/** What a drizzle D1 prepared query runs through: its statement (a field drizzle marks internal). */
interface D1PreparedQuery {
  stmt: D1PreparedStatement;
  getQuery(): { sql: string };
}

const isD1PreparedQuery = (v: unknown): v is D1PreparedQuery =>
  typeof v === "object" &&
  v !== null &&
  "stmt" in v &&
  typeof (v as { getQuery?: unknown }).getQuery === "function";

/**
 * `handle`'s value from `once`. A session opened with `openSession` gets its binding's prepared query
 * re-aimed at itself: the same rendered SQL and result mapping, with the session's own statement, so a
 * request on a replica does not pay drizzle's SQL rendering again, the cost `perBinding` exists to
 * avoid. Anything else is built for the session itself.
 */
function forHandle<T>(handle: D1Handle, once: (d1: D1Handle) => T): T {
  const binding = bindingOf(handle);
  if (binding === handle) return once(handle);
  const shared = once(binding);
  if (!isD1PreparedQuery(shared)) return once(handle);
  return Object.assign(Object.create(shared) as T & object, { stmt: handle.prepare(shared.getQuery().sql) });
}

/**
 * A value built once per D1 binding and kept for the isolate's lifetime, like `getDb`'s drizzle
 * instance. Meant for drizzle prepared statements (`.prepare()` over `sql.placeholder`s): drizzle then
 * renders the SQL once instead of on every request, and a request only binds its values. Given a D1
 * session (`openSession`), a prepared statement runs on the session.
 *
 * @example
 * const lookup = perBinding((db) => selectThing(db, sql.placeholder("id")).prepare());
 * const row = await lookup(env.DB).get({ id });
 */
export function perBinding<T>(build: (db: Db) => T): (d1: D1Handle) => T {
  const cache = new WeakMap<D1Handle, T>();
  const once = (d1: D1Handle) => {
    let value = cache.get(d1);
    if (value === undefined) {
      value = build(getDb(d1));
      cache.set(d1, value);
    }
    return value;
  };
  return (d1) => forHandle(d1, once);
}

/**
 * `perBinding` for a family of statements, one per key, e.g. an `IN (?, ?, …)` per number of values.
 * Keys must come from a small, bounded set: every one stays cached.
 */
export function perBindingAndKey<K, T>(build: (db: Db, key: K) => T): (d1: D1Handle, key: K) => T {
  const maps = new WeakMap<D1Handle, Map<K, T>>();
  const once = (d1: D1Handle, key: K) => {
    let byKey = maps.get(d1);
    if (!byKey) {
      byKey = new Map();
      maps.set(d1, byKey);
    }
    let value = byKey.get(key);
    if (value === undefined) {
      value = build(getDb(d1), key);
      byKey.set(key, value);
    }
    return value;
  };
  return (d1, key) => forHandle(d1, (h) => once(h, key));
}
