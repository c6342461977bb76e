import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEDUP_RETENTION_DAYS,
  daysBetween,
  dedupHorizonDay,
  metricRows,
  normalizeQuery,
} from "../../../src/flows/analytics/metrics";
import { jsonBytes, packBySize } from "../../../src/platform/events/pack-by-size";

const NOW = Date.parse("2026-08-10T12:00:00Z");

describe("metricRows", () => {
  it("given events, when turned into rows, then each gets its UTC day and searches a normalised query", () => {
    const { rows, late } = metricRows(
      [
        { id: "a", type: "product.viewed", occurredAt: "2026-08-09T23:59:59.999Z", productId: "prd_1" },
        {
          id: "b",
          type: "search.performed",
          occurredAt: "2026-08-10T00:00:00.000Z",
          query: "  Red   SHOES ",
        },
        { id: "c", type: "checkout.started", occurredAt: "2026-08-10T01:00:00.000Z" },
      ],
      NOW,
    );
    expect(late).toEqual([]);
    expect(rows).toEqual([
      { eventId: "a", day: "2026-08-09", type: "product.viewed", productId: "prd_1", query: null },
      { eventId: "b", day: "2026-08-10", type: "search.performed", productId: null, query: "red shoes" },
      { eventId: "c", day: "2026-08-10", type: "checkout.started", productId: null, query: null },
    ]);
  });

  it("given an event older than the dedup horizon, when turned into rows, then it is late, not counted", () => {
    expect(DEDUP_RETENTION_DAYS).toBe(9);
    expect(dedupHorizonDay(NOW)).toBe("2026-08-01");
    const { rows, late } = metricRows(
      [
        { id: "old", type: "product.viewed", occurredAt: "2026-07-31T23:00:00Z", productId: "p" },
        { id: "edge", type: "product.viewed", occurredAt: "2026-08-01T00:00:00Z", productId: "p" },
      ],
      NOW,
    );
    expect(late).toEqual(["old"]);
    expect(rows.map((r) => r.eventId)).toEqual(["edge"]);
  });
});

describe("normalizeQuery and daysBetween", () => {
  it("normalises idempotently", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary" }),
        (q) => normalizeQuery(normalizeQuery(q)) === normalizeQuery(q),
      ),
    );
  });

  it("lists every day across a month end, inclusive, and none for a reversed range", () => {
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    expect(daysBetween("2026-03-02", "2026-03-01")).toEqual([]);
  });
});

describe("packBySize", () => {
  it("keeps every item in order, each group within the limits unless one item alone exceeds them", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 60 })),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 200 }),
        (items, maxItems, maxBytes) => {
          const groups = packBySize(items, jsonBytes, { maxItems, maxBytes });
          expect(groups.flat()).toEqual(items);
          for (const g of groups) {
            expect(g.length).toBeGreaterThan(0);
            expect(g.length).toBeLessThanOrEqual(maxItems);
            const bytes = g.reduce((n, i) => n + jsonBytes(i), 0);
            if (g.length > 1) expect(bytes).toBeLessThanOrEqual(maxBytes);
          }
        },
      ),
    );
  });

  it("packs 500 of the largest allowed events into messages well under 128 KB", () => {
    const event = {
      id: "x".repeat(128),
      type: "product.added_to_cart",
      occurredAt: "2026-08-10T12:00:00.000Z",
      productId: "p".repeat(64),
      sessionId: "s".repeat(128),
      properties: { a: "x".repeat(240), b: "x".repeat(240), c: "x".repeat(240), d: "x".repeat(200) },
    };
    const groups = packBySize(Array(500).fill(event), jsonBytes, { maxItems: 500, maxBytes: 48 * 1024 });
    for (const g of groups) expect(jsonBytes(g)).toBeLessThan(64 * 1024);
    expect(groups.flat()).toHaveLength(500);
  });
});
