import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as core from "./schema";
import * as analytics from "./schema-analytics";
import * as events from "./schema-events";
import * as imports from "./schema-imports";
import * as jobs from "./schema-jobs";
import * as orders from "./schema-orders";
import * as readModels from "./schema-read-models";
import * as reports from "./schema-reports";
import * as settlements from "./schema-settlements";

const schema = {
  ...core,
  ...events,
  ...readModels,
  ...orders,
  ...jobs,
  ...settlements,
  ...analytics,
  ...reports,
  ...imports,
};

export type Db = DrizzleD1Database<typeof schema>;

// One drizzle instance per D1 binding for the isolate's lifetime: building it per request is waste.
const cache = new WeakMap<D1Database, Db>();

export function getDb(d1: D1Database): Db {
  let db = cache.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    cache.set(d1, db);
  }
  return db;
}
