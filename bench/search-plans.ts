/**
 * `npx tsx bench/search-plans.ts`: where the search scenario's time goes, query by query. Seeds the
 * benchmark's catalog (BENCH_PRODUCTS, 100,000 by default) into a local D1 (workerd's SQLite, as the
 * benchmark does), then for each request of the search scenario prints crossdock's SQL, its EXPLAIN
 * QUERY PLAN and the median execution time D1 reports (`meta.duration`) over a few runs. Writes nothing.
 */
import { join } from "node:path";
import { planProductSearch } from "../src/flows/catalog/search-plan";
import { buildProductSearch } from "../src/flows/catalog/search-products";
import { runMain } from "./lib/cli";
import { applyMigrations } from "./lib/migrations";
import { benchMiniflare, crossdockWorkerOptions, d1QueryWorker } from "./lib/runtime";
import { median } from "./lib/stats";
import { searchInput } from "./same-sql-worker/search";
import { search } from "./scenarios/search";
import { Fixtures } from "./seed/fixtures";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
const root = join(import.meta.dirname, "..");
const RUNS = 15;

async function main(): Promise<number> {
  const { options } = crossdockWorkerOptions(join(root, "wrangler.toml"));
  const mf = benchMiniflare([d1QueryWorker(options)], () => {});
  try {
    const db = (await mf.getD1Database("DB", "d1-query")) as unknown as D1Database;
    await applyMigrations(db, join(root, "migrations"));
    const products = Number(process.env.BENCH_PRODUCTS ?? 100_000);
    const requests = await search.setup({ db, fixtures: new Fixtures(db, products) });
    let total = 0;
    for (const req of requests) {
      const url = new URL(req.path, "http://x");
      const plan = planProductSearch(searchInput(url.searchParams));
      if (plan.kind !== "query") continue;
      const { sql, params } = buildProductSearch(plan);
      const explained = await db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await db
          .prepare(sql)
          .bind(...params)
          .all();
        ms.push(r.meta.duration);
        rows = r.results.length;
      }
      total += median(ms);
      console.log(`\n${url.search || "(no query)"}: ${rows} rows, median ${median(ms).toFixed(2)} ms`);
      for (const { detail } of explained.results) console.log(`  ${detail}`);
      if (process.env.SHOW_SQL) console.log(`  ${sql}\n  ${JSON.stringify(params)}`);
    }
    console.log(
      `\nmean over the scenario's ${requests.length} requests: ${(total / requests.length).toFixed(2)} ms`,
    );
    return 0;
  } finally {
    await mf.dispose();
  }
}

runMain(main);
