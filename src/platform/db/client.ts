import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/**
 * Queries are built from the tables each flow imports (`db.select().from(orders)`), never through
 * drizzle's relational `db.query` API, so the client needs no merged schema: adding a flow's tables
 * touches no list here. drizzle-kit finds the tables by file name (drizzle.config.ts).
 */
export type Db = DrizzleD1Database;

// One drizzle instance per D1 binding for the isolate's lifetime: building it per request is waste.
const cache = new WeakMap<D1Database, Db>();

export function getDb(d1: D1Database): Db {
  let db = cache.get(d1);
  if (!db) {
    db = drizzle(d1);
    cache.set(d1, db);
  }
  return db;
}
