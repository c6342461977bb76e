import { describe, expect, it } from "vitest";
import type { EventData } from "../../../src/platform/events/registry";
import { anEvent, mailboxRows } from "../../support/events";
import { deliver } from "../../support/queues";
import { createTestUser } from "../../support/users";

const completed = (merchantId: string, over: Partial<EventData<"settlement.completed">> = {}) =>
  anEvent("settlement.completed", {
    settlementId: "stl_01",
    merchantId,
    currency: "USD",
    periodStart: "2026-11-26T00:00:00.000Z",
    periodEnd: "2026-11-27T00:00:00.000Z",
    grossSalesMinor: 10_000,
    feesMinor: 1_000,
    refundsMinor: 0,
    payoutMinor: 9_000,
    payoutId: "po_01",
    statementKey: `settlements/${merchantId}/stl_01.csv`,
    ...over,
  });

describe("email: the merchant's settlement statement", () => {
  it("sends the statement to the merchant's address once, however often the fact is delivered", async () => {
    const merchant = await createTestUser("merchant");
    const event = completed(merchant.id);

    await deliver("crossdock-email", [{ body: event }]);
    await deliver("crossdock-email", [{ body: event }]);

    const mails = await mailboxRows({ eventId: event.id });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: merchant.email,
      template: "settlement-statement",
      subject: "Your Crossdock statement for 2026-11-26",
    });
    expect(mails[0]?.text).toContain("We paid out $90.00 (payout po_01).");
    expect(mails[0]?.text).toContain("Platform fees: $10.00");
  });

  it("says so when nothing was paid because the merchant owes money", async () => {
    const merchant = await createTestUser("merchant");
    const event = completed(merchant.id, {
      grossSalesMinor: 0,
      feesMinor: -500,
      refundsMinor: 5_000,
      payoutMinor: -4_500,
      payoutId: null,
    });

    await deliver("crossdock-email", [{ body: event }]);

    const [mail] = await mailboxRows({ eventId: event.id });
    expect(mail?.text).toContain("you owe $45.00; no payout was made.");
  });

  it("sends nothing for a merchant that no longer exists", async () => {
    const event = completed("usr_gone");
    const result = await deliver("crossdock-email", [{ body: event }]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(0);
  });
});
