/**
 * Seeds the local D1 with the demo catalog and the demo merchant's settled days.
 *
 *   tsx scripts/seed.ts [--products 5000] [--merchants 20] [--buyers 40] [--seed 1] [--persist-to dir]
 *
 * Apply migrations first (`wrangler d1 migrations apply DB --local`). Idempotent: run it again and
 * nothing changes. The clock is today's UTC midnight, so runs on one day generate the same catalog
 * (only the password salts differ, and INSERT OR IGNORE keeps the first run's rows anyway).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { unstable_readConfig } from "wrangler";
import { demoSeedSql } from "./seed-sql";

const DAY = 86_400_000;
const root = path.resolve(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "5000" },
    merchants: { type: "string", default: "20" },
    buyers: { type: "string", default: "40" },
    seed: { type: "string", default: "1" },
    "persist-to": { type: "string" },
  },
});

function integer(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

/** PLATFORM_FEE_BPS from wrangler.toml `[vars]`, the rate the local worker settles at. */
function feeBps(): number {
  const config = unstable_readConfig({ config: path.join(root, "wrangler.toml") }, { hideWarnings: true });
  return integer("PLATFORM_FEE_BPS", String(config.vars.PLATFORM_FEE_BPS));
}

async function writeSql(file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const chunks = demoSeedSql({
    seed: integer("seed", values.seed),
    merchants: integer("merchants", values.merchants),
    buyers: integer("buyers", values.buyers),
    products: integer("products", values.products),
    now: Math.floor(Date.now() / DAY) * DAY,
    feeBps: feeBps(),
  });
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

function wrangler(args: string[]): Promise<void> {
  // The Node running this script, not whatever `node` is on PATH: wrangler needs a recent one.
  const bin = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler exited with ${code}`))));
  });
}

const file = path.join(root, ".wrangler", "seed", "demo.sql");
await writeSql(file);
const persist = values["persist-to"] ? ["--persist-to", values["persist-to"]] : [];
await wrangler(["d1", "execute", "DB", "--local", "--yes", "--file", file, ...persist]);
console.log(`Seeded ${values.products} demo products and settled past days for merchant@demo.crossdock.`);
