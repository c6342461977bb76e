/**
 * The demo catalog as SQL, in chunks: the seeding script writes them to a file for `wrangler d1
 * execute`, and benchmarks can reuse them for 100,000 products without building one giant string.
 *
 * Every statement is INSERT OR IGNORE keyed by the catalog's stable ids, so seeding twice is a no-op.
 */
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { hashPassword } from "../src/flows/accounts/password";
import { users } from "../src/flows/accounts/schema";
import { products, promotions } from "../src/flows/catalog/schema";
import { statementKeyOf } from "../src/flows/settlements/config";
import { settlementEntries, settlementLedgerLines, settlements } from "../src/flows/settlements/schema";
import { type DemoCatalogOptions, generateDemoCatalog } from "./demo-data/generate-demo-catalog";
import { demoSettlements } from "./demo-data/settlements";
import { DEMO_PASSWORD } from "./demo-data/users";

export interface DemoSeedOptions extends DemoCatalogOptions {
  /** PLATFORM_FEE_BPS: the demo settlements are settled at the rate the worker runs with. */
  feeBps: number;
  /** Rows per INSERT; ~100 keeps each statement far below D1's statement size limit. */
  rowsPerStatement?: number;
}

type SqlValue = string | number | null;

function literal(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as SQL`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** One multi-row INSERT OR IGNORE; column names come from the drizzle table, keys from the rows. */
export function insertOrIgnore(table: SQLiteTable, rows: readonly Record<string, SqlValue>[]): string {
  const first = rows[0];
  if (first === undefined) return "";
  const columns: Record<string, { name: string }> = getTableColumns(table);
  const keys = Object.keys(first);
  const names = keys.map((k) => {
    const column = columns[k];
    if (!column) throw new Error(`${getTableName(table)} has no column for '${k}'`);
    return `"${column.name}"`;
  });
  const values = rows.map((row) => `(${keys.map((k) => literal(row[k] ?? null)).join(", ")})`);
  return `INSERT OR IGNORE INTO "${getTableName(table)}" (${names.join(", ")}) VALUES\n${values.join(",\n")};\n`;
}

/**
 * The demo catalog as SQL chunks: users (each with its own salted hash of `DEMO_PASSWORD`), then
 * promotions, then products `rowsPerStatement` at a time, then the demo merchant's settled days
 * (scripts/demo-data/settlements.ts). Users come first because products reference their merchant.
 *
 * @example
 * for await (const chunk of demoSeedSql({ seed: 1, merchants: 20, buyers: 40, products: 100_000, now, feeBps: 1000 }))
 *   out.write(chunk);
 */
export async function* demoSeedSql(options: DemoSeedOptions): AsyncGenerator<string> {
  const catalog = generateDemoCatalog(options);
  const userRows = [];
  for (const user of catalog.users) {
    // Per-user salt: ~60 PBKDF2 runs cost a few seconds once, and no two demo hashes are alike.
    userRows.push({ ...user, passwordHash: await hashPassword(DEMO_PASSWORD) });
  }
  yield insertOrIgnore(users, userRows);
  yield insertOrIgnore(promotions, catalog.promotions);
  const size = options.rowsPerStatement ?? 100;
  let batch: Record<string, SqlValue>[] = [];
  for (const product of catalog.products) {
    batch.push(product);
    if (batch.length === size) {
      yield insertOrIgnore(products, batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield insertOrIgnore(products, batch);
  yield* demoSettlementsSql({ today: options.now, feeBps: options.feeBps });
}

/**
 * The demo merchant's settled days (scripts/demo-data/settlements.ts) as SQL: entries, settlements,
 * ledger lines. The statement key names an R2 object the seed cannot write (it only reaches D1):
 * GET /v1/settlements/:id/statement rebuilds the statement from the entries instead.
 */
export function* demoSettlementsSql(o: { today: number; feeBps: number }): Generator<string> {
  const settled = demoSettlements(o);
  yield insertOrIgnore(settlementEntries, settled.entries);
  yield insertOrIgnore(
    settlements,
    settled.settlements.map((s) => ({ ...s, statementKey: statementKeyOf(s.merchantId, s.id) })),
  );
  yield insertOrIgnore(settlementLedgerLines, settled.ledgerLines);
}
