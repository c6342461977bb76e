import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";

/**
 * Queries are built from the tables each flow imports (`db.select().from(orders)`), never through
 * drizzle's relational `db.query` API, so the client needs no merged schema: adding a flow's tables
 * touches no list here. drizzle-kit finds the tables by file name (drizzle.config.ts).
 */
export type Db = DrizzleD1Database;

/**
 * A D1 binding, or a session opened on one (`src/platform/db/sessions.ts`). drizzle only calls
 * `prepare` and `batch`, which both have, though its type asks for the binding.
 */
export type D1Handle = D1Database | D1DatabaseSession;

// One drizzle instance per D1 binding for the isolate's lifetime: building it per request is waste.
// A session lives for one request, so its instance goes with it.
const cache = new WeakMap<D1Handle, Db>();

export function getDb(d1: D1Handle): Db {
  let db = cache.get(d1);
  if (!db) {
    db = drizzle(d1 as D1Database);
    cache.set(d1, db);
  }
  return db;
}

const bindingOfSession = new WeakMap<D1DatabaseSession, D1Database>();

/**
 * A D1 session on `d1` (read replication, src/platform/db/sessions.ts), remembered as `d1`'s so that
 * statements prepared once for the binding serve it too (`perBinding`).
 */
export function openSession(d1: D1Database, from: string): D1DatabaseSession {
  const session = d1.withSession(from);
  bindingOfSession.set(session, d1);
  return session;
}

/** The binding a handle belongs to: itself, or the one its session was opened on by `openSession`. */
export const bindingOf = (d1: D1Handle): D1Handle => bindingOfSession.get(d1 as D1DatabaseSession) ?? d1;
