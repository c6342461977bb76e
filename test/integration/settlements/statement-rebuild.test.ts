import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../../scripts/demo-data/users";
import { demoSettlementsSql } from "../../../scripts/seed-sql";
import { newSessionToken } from "../../../src/flows/accounts/tokens";
import { sha256Hex } from "../../../src/platform/encoding/sha256";
import { call } from "../../support/http";
import {
  aProductOf,
  dayAgo,
  runPeriod,
  settledOrderFacts,
  settledRow,
  settlementOf,
} from "../../support/settlements";
import { createTestUser } from "../../support/users";

const DAY = 86_400_000;

/** Runs the demo seed's settlement SQL, statement by statement, as `wrangler d1 execute` would. */
async function seedDemoSettlements(today: number) {
  for (const statement of demoSettlementsSql({ today, feeBps: Number(env.PLATFORM_FEE_BPS) }))
    await env.DB.prepare(statement).run();
}

/** The demo merchant (the seed's fixed id) with a session. */
async function demoMerchant() {
  const token = newSessionToken();
  const { id, email, name } = DEMO_ACCOUNTS.merchant;
  await env.DB.batch([
    env.DB.prepare(
      "INSERT OR IGNORE INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, 'merchant', NULL, 0)",
    ).bind(id, email, name),
    env.DB.prepare(
      "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    ).bind(await sha256Hex(token), id, Date.now(), Date.now() + 3_600_000),
  ]);
  return { authorization: `Bearer ${token}` };
}

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;

describe("a statement missing from R2", () => {
  it("is rebuilt from the settlement's entries, byte for byte what the consumer wrote", async () => {
    const [merchant, buyer, admin] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const products = await Promise.all([aProductOf(merchant, 10_005), aProductOf(merchant, 2_500)]);
    const day = dayAgo(2);
    await settledOrderFacts(buyer, products, { confirmedAt: day.at });
    await settledOrderFacts(buyer, [products[1] ?? products[0]!], {
      confirmedAt: day.at + 1_000,
      refundedAt: day.at + 60_000,
    });
    const { id } = settlementOf(await runPeriod(admin, day.date), merchant);
    await settledRow(id);
    const key = `settlements/${merchant.id}/${id}.csv`;
    const written = await (await env.FILES.get(key))?.text();
    expect(written).toContain("payout_minor,");

    await env.FILES.delete(key);
    const res = await call(`/v1/settlements/${id}/statement`, { headers: merchant.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${id}.csv"`);
    expect(await res.text()).toBe(written);
  });
});

describe("the demo seed's settlements", () => {
  it("fill GET /v1/settlements for the demo merchant, each statement served, and seeding twice adds nothing", async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    await seedDemoSettlements(today);
    const before = await Promise.all(
      ["settlements", "settlement_entries", "settlement_ledger_lines"].map(count),
    );
    // Again the next day: fixed ids, INSERT OR IGNORE.
    await seedDemoSettlements(today + DAY);
    expect(
      await Promise.all(["settlements", "settlement_entries", "settlement_ledger_lines"].map(count)),
    ).toEqual(before);

    const auth = await demoMerchant();
    const list = await call("/v1/settlements", { headers: auth });
    expect(list.status).toBe(200);
    const { items } = (await list.json()) as {
      items: { id: string; status: string; statementUrl: string }[];
    };
    const demo = items.filter((s) => s.id.startsWith("stl_demo_"));
    expect(demo.length).toBeGreaterThanOrEqual(2);
    for (const s of demo) {
      expect(s.status).toBe("settled");
      const res = await call(s.statementUrl, { headers: auth });
      expect(res.status).toBe(200);
      const csv = await res.text();
      expect(csv).toContain(`settlement_id,${s.id}\r\n`);
      expect(csv).toContain("order_id,kind,amount_minor,fee_minor,occurred_at\r\n");
    }
  });
});
