import { type Db, getDb } from "./client";

/**
 * A value built once per D1 binding and kept for the isolate's lifetime, like `getDb`'s drizzle
 * instance. Meant for drizzle prepared statements (`.prepare()` over `sql.placeholder`s): drizzle then
 * renders the SQL once instead of on every request, and a request only binds its values.
 *
 * @example
 * const lookup = perBinding((db) => selectThing(db, sql.placeholder("id")).prepare());
 * const row = await lookup(env.DB).get({ id });
 */
export function perBinding<T>(build: (db: Db) => T): (d1: D1Database) => T {
  const cache = new WeakMap<D1Database, T>();
  return (d1) => {
    let value = cache.get(d1);
    if (value === undefined) {
      value = build(getDb(d1));
      cache.set(d1, value);
    }
    return value;
  };
}

/**
 * `perBinding` for a family of statements, one per key, e.g. an `IN (?, ?, …)` per number of values.
 * Keys must come from a small, bounded set: every one stays cached.
 */
export function perBindingAndKey<K, T>(build: (db: Db, key: K) => T): (d1: D1Database, key: K) => T {
  const maps = perBinding((db) => ({ db, byKey: new Map<K, T>() }));
  return (d1, key) => {
    const { db, byKey } = maps(d1);
    let value = byKey.get(key);
    if (value === undefined) {
      value = build(db, key);
      byKey.set(key, value);
    }
    return value;
  };
}
