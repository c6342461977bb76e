import { describe, expect, it } from "vitest";
import { pageOf } from "../../support/merchant-desk";
import {
  aProductOf,
  dayAgo,
  runPeriod,
  settledOrderFacts,
  settledRow,
  settlementOf,
} from "../../support/settlements";
import { createTestUser } from "../../support/users";
import { webVisitor } from "../../support/web";

/** A merchant visitor whose sale of yesterday has been settled by the real consumer. */
async function aSettledMerchant() {
  const [merchant, buyer, admin] = await Promise.all([
    webVisitor("merchant"),
    createTestUser("buyer"),
    createTestUser("admin"),
  ]);
  const yesterday = dayAgo(1);
  const product = await aProductOf(merchant.user!, 10_000);
  await settledOrderFacts(buyer, [product], { confirmedAt: yesterday.at });
  const { id } = settlementOf(await runPeriod(admin, yesterday.date), merchant.user!);
  await settledRow(id);
  return { merchant, id, day: yesterday.date };
}

describe("/merchant/settlements", () => {
  it("lists the settlements, shows one with its ledger and downloads its statement as the API serves it", async () => {
    const { merchant, id, day } = await aSettledMerchant();
    const list = await pageOf(merchant, "/merchant/settlements");
    expect(list).toContain(`<a href="/merchant/settlements/${id}">${day}</a>`);
    expect(list).toContain("$100.00");

    const one = await pageOf(merchant, `/merchant/settlements/${id}`);
    expect(one).toContain(`<h1>Settlement for ${day}</h1>`);
    expect(one).toContain("Settled: the payout was sent.");
    expect(one).toContain("Ledger (double entry: debits equal credits)");
    expect(one).toContain(`href="/merchant/settlements/${id}/statement"`);

    const file = await merchant.get(`/merchant/settlements/${id}/statement`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(file.headers.get("content-disposition")).toBe(`attachment; filename="${id}.csv"`);
    expect(await file.text()).toContain(id);
  });

  it("designs the empty list, and another merchant's settlement and statement are 404 pages", async () => {
    const { id } = await aSettledMerchant();
    const stranger = await webVisitor("merchant");
    expect(await pageOf(stranger, "/merchant/settlements")).toContain("No settlements yet.");
    expect(await pageOf(stranger, `/merchant/settlements/${id}`, 404)).toContain("<h1>Not found</h1>");
    const file = await stranger.get(`/merchant/settlements/${id}/statement`);
    expect(file.status).toBe(404);
    expect(file.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("is a 403 page for a buyer", async () => {
    const buyer = await webVisitor("buyer");
    expect(await pageOf(buyer, "/merchant/settlements/stl_anything", 403)).toContain(
      "This page is for merchant accounts.",
    );
    expect((await buyer.get("/merchant/settlements/stl_anything/statement")).status).toBe(403);
  });
});
