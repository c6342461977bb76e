import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openSettlements } from "../../../src/flows/settlements/open-settlements";
import { previousDay } from "../../../src/flows/settlements/period";
import worker from "../../../src/index";
import { eventually, mailboxRows } from "../../support/events";
import { call, postJson } from "../../support/http";
import { deliver } from "../../support/queues";
import {
  aProductOf,
  dayAgo,
  orderFact,
  outboxOfSubject,
  recordEntries,
  runPeriod,
  sandbox,
  settledOrderFacts,
  settledRow,
  settlementOf,
} from "../../support/settlements";
import { createTestUser } from "../../support/users";

interface SettlementBody {
  id: string;
  merchantId: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  status: string;
  grossSalesMinor: number;
  feesMinor: number;
  refundsMinor: number;
  payoutMinor: number;
  payoutId: string | null;
  settledAt: string | null;
  statementUrl: string | null;
  ledger: { account: string; debitMinor: number; creditMinor: number; description: string }[];
}

const getSettlement = async (id: string, auth: { authorization: string }) => {
  const res = await call(`/v1/settlements/${id}`, { headers: auth });
  return { status: res.status, body: (await res.json()) as SettlementBody };
};

const statementMails = (to: string) =>
  mailboxRows({ to }).then((rows) => rows.filter((r) => r.template === "settlement-statement"));

describe("settlements end to end", () => {
  it("settles each merchant's closed day: ledger, payout, CSV statement in R2 and one statement email", async () => {
    const [a, b, buyer, admin] = await Promise.all([
      createTestUser("merchant", "Ann Seller"),
      createTestUser("merchant", "Ben Seller"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const [a1, a2, a3, b1] = await Promise.all([
      aProductOf(a, 10_000),
      aProductOf(a, 2_500),
      aProductOf(a, 999),
      aProductOf(b, 3_000),
    ]);
    const yesterday = dayAgo(1);
    const { order: shared } = await settledOrderFacts(buyer, [a1, b1], { confirmedAt: yesterday.at });
    const { order: refunded } = await settledOrderFacts(buyer, [a2], {
      confirmedAt: yesterday.at,
      refundedAt: yesterday.at + 60_000,
    });
    // Confirmed today: not in the closed period.
    const { order: today } = await settledOrderFacts(buyer, [a3], { confirmedAt: Date.now() });

    const run = await runPeriod(admin, yesterday.date);
    expect(run.period).toEqual({
      start: new Date(yesterday.start).toISOString(),
      end: new Date(yesterday.start + 86_400_000).toISOString(),
    });
    const ofA = settlementOf(run, a);
    expect(ofA.currency).toBe("USD");
    const ofB = settlementOf(run, b);

    const row = await settledRow(ofA.id);
    expect(row.payout_minor).toBe(9_000);
    const { status, body } = await getSettlement(ofA.id, a.auth);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: ofA.id,
      merchantId: a.id,
      periodStart: run.period.start,
      periodEnd: run.period.end,
      currency: "USD",
      status: "settled",
      // 10 000 + 2 500 sold; 2 500 refunded; 10% fee on sales (1 250) less the 250 returned with the refund.
      grossSalesMinor: 12_500,
      feesMinor: 1_000,
      refundsMinor: 2_500,
      payoutMinor: 9_000,
      statementUrl: `/v1/settlements/${ofA.id}/statement`,
    });
    const debits = body.ledger.reduce((n, l) => n + l.debitMinor, 0);
    const credits = body.ledger.reduce((n, l) => n + l.creditMinor, 0);
    expect(debits).toBe(credits);
    expect(body.ledger).toContainEqual({
      account: "merchant_payable",
      debitMinor: 9_000,
      creditMinor: 0,
      description: "Payout to the merchant",
    });

    // The payout went through the gateway, once, under the settlement's key.
    const payouts = await sandbox().payouts(a.id);
    expect(payouts).toEqual([
      { id: body.payoutId, merchantId: a.id, status: "paid", amount: 9_000, currency: "USD" },
    ]);

    // The statement is in R2 and streamed to its merchant as a CSV attachment.
    const stored = await env.FILES.get(`settlements/${a.id}/${ofA.id}.csv`);
    expect(stored).not.toBeNull();
    const res = await call(body.statementUrl ?? "", { headers: a.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${ofA.id}.csv"`);
    const csv = await res.text();
    expect(csv).toBe(await stored?.text());
    expect(csv).toContain(`${shared.id},sale,10000,1000,`);
    expect(csv).toContain(`${refunded.id},refund,2500,250,`);
    expect(csv).not.toContain(today.id);

    // B's settlement holds only B's line of the shared order: shipping and tax stay with the platform.
    expect((await settledRow(ofB.id)).payout_minor).toBe(2_700);

    const mails = await eventually(async () => {
      const rows = await statementMails(a.email);
      return rows.length > 0 ? rows : null;
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe(`Your Crossdock statement for ${yesterday.date}`);
    expect(mails[0]?.text).toContain("$90.00");

    // Listed for its merchant, newest first; never for another merchant.
    const list = (await (await call("/v1/settlements", { headers: a.auth })).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((s) => s.id)).toContain(ofA.id);
    expect(list.items.map((s) => s.id)).not.toContain(ofB.id);
  });

  it("is idempotent: running twice settles once, pays out once, emails once; redeliveries change nothing", async () => {
    const [m, buyer, admin] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const product = await aProductOf(m, 4_000);
    const day = dayAgo(2);
    await settledOrderFacts(buyer, [product], { confirmedAt: day.at });

    const first = settlementOf(await runPeriod(admin, day.date), m);
    await settledRow(first.id);
    const second = settlementOf(await runPeriod(admin, day.date), m);
    expect(second.id).toBe(first.id);

    const rows = await env.DB.prepare("SELECT count(*) AS n FROM settlements WHERE merchant_id = ?")
      .bind(m.id)
      .first<number>("n");
    expect(rows).toBe(1);
    const [opened] = await outboxOfSubject(first.id, "settlement.opened");
    expect(await outboxOfSubject(first.id, "settlement.opened")).toHaveLength(1);

    // The same message again: the dedup store skips it.
    const again = await deliver("crossdock-settlements", [{ body: opened }]);
    expect(again.explicitAcks).toHaveLength(1);
    // A copy under a new event id (as if the dedup record were lost): the settlement is no longer open.
    const copy = { ...opened, id: `${opened?.id}-copy` };
    const redelivered = await deliver("crossdock-settlements", [{ body: copy }]);
    expect(redelivered.explicitAcks).toHaveLength(1);

    const completed = await outboxOfSubject(first.id, "settlement.completed");
    expect(completed).toHaveLength(1);
    await deliver("crossdock-email", [{ body: completed[0] }]);

    expect(await sandbox().payouts(m.id)).toHaveLength(1);
    const mails = await eventually(async () => {
      const r = await statementMails(m.email);
      return r.length > 0 ? r : null;
    });
    // Give any stray second delivery the time to land before counting.
    await scheduler.wait(500);
    expect(await statementMails(m.email)).toHaveLength(mails.length);
    expect(mails).toHaveLength(1);
  });

  it("a redelivery after the payout was made but before the commit pays once and settles with that payout", async () => {
    const [m, buyer] = await Promise.all([createTestUser("merchant"), createTestUser("buyer")]);
    const product = await aProductOf(m, 7_000);
    const day = dayAgo(4);
    await settledOrderFacts(buyer, [product], { confirmedAt: day.at });
    // Opened without publishing: this test plays the queue.
    const period = { start: day.start, end: day.start + 86_400_000 };
    const { opened } = await openSettlements(env, period, {
      now: Date.now(),
      causation: {
        correlationId: "t",
        causationId: "t",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      },
    });
    const event = opened.find((e) => e.data.merchantId === m.id);
    if (!event) throw new Error("not opened");
    const id = event.data.settlementId;

    const early = await call(`/v1/settlements/${id}/statement`, { headers: m.auth });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { type: string }).type).toContain("statement-not-ready");

    // The first attempt paid out, then died before writing anything else.
    const paid = await sandbox().payout({
      idempotencyKey: `${id}:payout`,
      merchantId: m.id,
      amount: 6_300,
      currency: "USD",
    });

    const result = await deliver("crossdock-settlements", [{ body: event }]);
    expect(result.explicitAcks).toHaveLength(1);
    const row = await settledRow(id);
    expect(row).toMatchObject({ payout_id: paid.id, payout_minor: 6_300 });
    expect(await sandbox().payouts(m.id)).toHaveLength(1);
  });

  it("a period whose refunds exceed its sales pays nothing: the statement says the merchant owes it", async () => {
    const [m, buyer, admin] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const product = await aProductOf(m, 5_000);
    const saleDay = dayAgo(6);
    const refundDay = dayAgo(5);
    const { order } = await settledOrderFacts(buyer, [product], { confirmedAt: saleDay.at });
    const first = settlementOf(await runPeriod(admin, saleDay.date), m);
    expect((await settledRow(first.id)).payout_minor).toBe(4_500);

    // The refund of that order comes on a later day: that day has a refund and no sale.
    await recordEntries([orderFact("order.refunded", order, refundDay.at)]);

    const owed = settlementOf(await runPeriod(admin, refundDay.date), m);
    const row = await settledRow(owed.id);
    expect(row).toMatchObject({ payout_id: null, payout_minor: -4_500 });
    const { body } = await getSettlement(owed.id, m.auth);
    expect(body).toMatchObject({
      grossSalesMinor: 0,
      feesMinor: -500,
      refundsMinor: 5_000,
      payoutMinor: -4_500,
    });
    expect(body.ledger).toContainEqual({
      account: "merchant_receivable",
      debitMinor: 4_500,
      creditMinor: 0,
      description: "Owed by the merchant: refunds and fees exceed sales, nothing paid out",
    });
    const csv = await (await call(`/v1/settlements/${owed.id}/statement`, { headers: m.auth })).text();
    expect(csv).toContain("No payout: the merchant owes 4500 USD");
    expect(await sandbox().payouts(m.id)).toHaveLength(1);
  });

  it("the daily cron settles yesterday", async () => {
    const [m, buyer] = await Promise.all([createTestUser("merchant"), createTestUser("buyer")]);
    const product = await aProductOf(m, 1_000);
    const now = Date.now();
    await settledOrderFacts(buyer, [product], { confirmedAt: previousDay(now).start + 1 });

    await worker.scheduled(createScheduledController({ cron: "10 0 * * *", scheduledTime: now }), env);

    const row = await env.DB.prepare("SELECT id, period_start FROM settlements WHERE merchant_id = ?")
      .bind(m.id)
      .first<{ id: string; period_start: number }>();
    expect(row?.period_start).toBe(previousDay(now).start);
    expect((await settledRow(row?.id ?? "")).payout_minor).toBe(900);
  });
});

describe("settlements access and validation", () => {
  it("another merchant's settlement is a 404; an admin reads any; a buyer is refused", async () => {
    const [owner, other, buyer, admin] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("merchant"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const product = await aProductOf(owner, 2_000);
    const day = dayAgo(8);
    await settledOrderFacts(buyer, [product], { confirmedAt: day.at });
    const { id } = settlementOf(await runPeriod(admin, day.date), owner);
    await settledRow(id);

    expect((await getSettlement(id, other.auth)).status).toBe(404);
    expect((await call(`/v1/settlements/${id}/statement`, { headers: other.auth })).status).toBe(404);
    expect((await getSettlement("stl_unknown", owner.auth)).status).toBe(404);
    expect((await getSettlement(id, admin.auth)).status).toBe(200);
    expect((await call("/v1/settlements", { headers: buyer.auth })).status).toBe(403);
    expect((await call("/v1/settlements")).status).toBe(401);
  });

  it("only an admin runs settlements, and only for a closed UTC day", async () => {
    const [merchant, admin] = await Promise.all([createTestUser("merchant"), createTestUser("admin")]);
    expect((await postJson("/ops/settlements/run", {}, merchant.auth)).status).toBe(403);

    const today = new Date().toISOString().slice(0, 10);
    const open = await postJson("/ops/settlements/run", { periodStart: today }, admin.auth);
    expect(open.status).toBe(422);
    expect(((await open.json()) as { type: string }).type).toContain("period-not-closed");

    const badDate = await postJson("/ops/settlements/run", { periodStart: "2026-02-30" }, admin.auth);
    expect(badDate.status).toBe(400);
    expect(JSON.stringify(await badDate.json())).toContain("periodStart");
    expect((await postJson("/ops/settlements/run", { period: "x" }, admin.auth)).status).toBe(400);

    // No body at all: yesterday.
    const res = await call("/ops/settlements/run", { method: "POST", headers: admin.auth });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { period: { start: string } };
    expect(body.period.start).toBe(new Date(previousDay(Date.now()).start).toISOString());
  });

  it("lists a merchant's settlements newest period first, a page at a time", async () => {
    const [m, buyer, admin] = await Promise.all([
      createTestUser("merchant"),
      createTestUser("buyer"),
      createTestUser("admin"),
    ]);
    const product = await aProductOf(m, 1_500);
    const days = [dayAgo(12), dayAgo(11), dayAgo(10)];
    const ids: string[] = [];
    for (const day of days) {
      await settledOrderFacts(buyer, [product], { confirmedAt: day.at });
      ids.push(settlementOf(await runPeriod(admin, day.date), m).id);
    }
    const page1 = (await (await call("/v1/settlements?limit=2", { headers: m.auth })).json()) as {
      items: { id: string }[];
      nextCursor: string | null;
    };
    expect(page1.items.map((s) => s.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await (
      await call(`/v1/settlements?limit=2&cursor=${page1.nextCursor}`, { headers: m.auth })
    ).json()) as { items: { id: string }[]; nextCursor: string | null };
    expect(page2.items.map((s) => s.id)).toEqual([ids[0]]);
    expect(page2.nextCursor).toBeNull();
    for (const id of ids) await settledRow(id);
  });
});
