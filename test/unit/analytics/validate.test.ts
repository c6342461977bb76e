import { describe, expect, it } from "vitest";
import { checkBatch, checkClientEvent, rejectForeignProducts } from "../../../src/flows/analytics/validate";

const NOW = Date.parse("2026-08-10T12:00:00Z");
let seq = 0;
const newId = () => `aev_${++seq}`;
const viewed = (extra: Record<string, unknown> = {}) => ({
  type: "product.viewed",
  occurredAt: "2026-08-10T11:00:00+02:00",
  productId: "prd_1",
  ...extra,
});
const reasonFor = (raw: unknown) => {
  const check = checkClientEvent(raw, NOW, newId);
  return check.ok ? null : check.reason;
};

describe("checkClientEvent", () => {
  it("given a valid event without id, when checked, then it gets a server id and a UTC time", () => {
    const check = checkClientEvent(viewed({ sessionId: "s" }), NOW, () => "aev_x");
    expect(check).toEqual({
      ok: true,
      event: {
        id: "aev_x",
        type: "product.viewed",
        occurredAt: "2026-08-10T09:00:00.000Z",
        productId: "prd_1",
        sessionId: "s",
      },
    });
  });

  it("given an event without a time, when checked, then it happened when it was received", () => {
    const { occurredAt: _, ...unstamped } = viewed();
    const check = checkClientEvent(unstamped, NOW, () => "aev_x");
    expect(check).toMatchObject({ ok: true, event: { occurredAt: new Date(NOW).toISOString() } });
  });

  it("given the client's id, when checked, then it is kept and no server id is drawn", () => {
    const check = checkClientEvent(viewed({ id: "mine" }), NOW, () => {
      throw new Error("not called");
    });
    expect(check.ok && check.event.id).toBe("mine");
  });

  it.each([
    [{ ...viewed(), productId: undefined }, "productId: required for product.viewed"],
    [
      { type: "search.performed", occurredAt: "2026-08-10T11:00:00Z", query: " \t" },
      "query: required for search.performed",
    ],
    [viewed({ occurredAt: "2026-08-10T12:05:01Z" }), "occurredAt: more than 5 minutes in the future"],
    [viewed({ occurredAt: "2026-08-03T11:59:59Z" }), "occurredAt: older than 7 days"],
    [viewed({ extra: 1 }), "extra: unknown field"],
    [
      viewed({ properties: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) }),
      "properties: at most 20 keys",
    ],
    [
      viewed({
        properties: { a: "x".repeat(256), b: "x".repeat(256), c: "x".repeat(256), d: "x".repeat(256) },
      }),
      "properties: at most 1024 bytes as JSON",
    ],
  ])("given a bad event %#, when checked, then the reason names the field", (raw, reason) => {
    expect(reasonFor(raw)).toBe(reason);
  });

  it.each([
    [null, /^event: /],
    [viewed({ type: "page.viewed" }), /^type: /],
    [viewed({ occurredAt: "2026-08-10" }), /^occurredAt: /],
    [viewed({ id: "x".repeat(129) }), /^id: /],
    [viewed({ properties: { nested: { a: 1 } } }), /^properties\.nested: /],
  ])("given a malformed event %#, when checked, then the reason starts with the field", (raw, pattern) => {
    expect(reasonFor(raw)).toMatch(pattern);
  });

  it("given the edges of the time window, when checked, then they are accepted", () => {
    expect(reasonFor(viewed({ occurredAt: "2026-08-10T12:05:00Z" }))).toBeNull();
    expect(reasonFor(viewed({ occurredAt: "2026-08-03T12:00:00Z" }))).toBeNull();
  });

  it("given checkout.started without a product, when checked, then it is accepted", () => {
    expect(reasonFor({ type: "checkout.started", occurredAt: "2026-08-10T11:00:00Z" })).toBeNull();
  });
});

describe("checkBatch and rejectForeignProducts", () => {
  it("given a repeated id, when checked, then the first is kept and the repeat rejected", () => {
    const batch = checkBatch([viewed({ id: "a" }), viewed({ id: "a" }), viewed()], NOW, newId);
    expect(batch.accepted.map((a) => a.index)).toEqual([0, 2]);
    expect(batch.rejected).toEqual([{ index: 1, reason: "id: repeats the id of event 0 in this request" }]);
  });

  it("given unknown products, when filtered, then their events join the rejected list in index order", () => {
    const batch = checkBatch(
      [
        viewed({ productId: "prd_gone" }),
        {},
        viewed(),
        { type: "checkout.started", occurredAt: "2026-08-10T11:00:00Z", productId: "prd_gone" },
      ],
      NOW,
      newId,
    );
    const result = rejectForeignProducts(batch, new Map([["prd_1", "usr_m1"]]), "usr_m1");
    expect(result.accepted.map((a) => a.index)).toEqual([2]);
    expect(result.rejected.map((r) => [r.index, r.reason])).toEqual([
      [0, "productId: no such product"],
      [1, expect.stringMatching(/^type: /)],
      [3, "productId: no such product"],
    ]);
  });

  it("given another merchant's product, when a merchant reports it, then only that event is rejected; an admin may", () => {
    const batch = checkBatch(
      [viewed({ productId: "prd_theirs" }), viewed(), { type: "search.performed", query: "lamp" }],
      NOW,
      newId,
    );
    const owners = new Map([
      ["prd_1", "usr_m1"],
      ["prd_theirs", "usr_m2"],
    ]);
    const byMerchant = rejectForeignProducts(batch, owners, "usr_m1");
    expect(byMerchant.accepted.map((a) => a.index)).toEqual([1, 2]);
    expect(byMerchant.rejected).toEqual([{ index: 0, reason: "productId: not one of your products" }]);
    expect(rejectForeignProducts(batch, owners, null).accepted.map((a) => a.index)).toEqual([0, 1, 2]);
  });
});
