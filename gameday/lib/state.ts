/**
 * Reads the runtime's state straight from its SQLite files under the state directory (D1 and the
 * PaymentSandbox Durable Object's shards), read-only: safe while the runtime runs, since they are in
 * WAL mode, and it never moves work along. The file names are Miniflare's hashes, so each store's
 * folder is searched for its databases.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

type Row = Record<string, unknown>;

function databasesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite")
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function queryFile<T extends Row>(file: string, sql: string, params: (string | number)[] = []): T[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export class StateReader {
  constructor(readonly stateDir: string) {}

  private d1File(): string {
    const [file, ...more] = databasesIn(join(this.stateDir, "v3", "d1", "miniflare-D1DatabaseObject"));
    if (!file || more.length > 0) throw new Error(`expected one local D1 database under ${this.stateDir}`);
    return file;
  }

  /** A read-only query on the local D1 database. */
  d1<T extends Row>(sql: string, params: (string | number)[] = []): T[] {
    return queryFile<T>(this.d1File(), sql, params);
  }

  /** The same query on every PaymentSandbox shard that exists, rows concatenated. */
  sandbox<T extends Row>(sql: string): T[] {
    const dir = join(this.stateDir, "v3", "do", "crossdock-PaymentSandbox");
    return databasesIn(dir).flatMap((file) => {
      const tables = queryFile<{ name: string }>(file, "SELECT name FROM sqlite_master WHERE type = 'table'");
      // A shard that only ever held payouts (or nothing) has no payment tables.
      return tables.some((t) => t.name === "authorizations") ? queryFile<T>(file, sql) : [];
    });
  }
}
