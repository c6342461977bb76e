import { describe, expect, it } from "vitest";
import { encodeCursor } from "../../../src/flows/catalog/cursor";
import { toSearchPage } from "../../../src/flows/catalog/search-page";
import { planProductSearch, searchFingerprint } from "../../../src/flows/catalog/search-plan";
import { fnv1aHex } from "../../../src/platform/encoding/fnv1a";

describe("planProductSearch", () => {
  it("ranks by relevance when there are words and by newest otherwise", () => {
    expect(planProductSearch({ q: "lamp", limit: 20 })).toMatchObject({
      sort: "relevance",
      match: '"lamp"*',
    });
    expect(planProductSearch({ limit: 20 })).toMatchObject({ sort: "newest", match: null });
    expect(planProductSearch({ sort: "relevance", limit: 20 })).toMatchObject({ sort: "newest" });
    expect(planProductSearch({ q: "lamp", sort: "price_asc", limit: 20 })).toMatchObject({
      sort: "price_asc",
    });
  });

  it("treats a blank q as browsing and a q without words as an empty page", () => {
    expect(planProductSearch({ q: "  ", limit: 20 })).toMatchObject({ kind: "query", match: null });
    expect(planProductSearch({ q: '"*', limit: 20 })).toEqual({ kind: "empty" });
  });

  it("resumes after a cursor issued for the same filters, and refuses one for other filters", () => {
    const plan = planProductSearch({ category: "books", minPrice: 100, limit: 5 });
    if (plan.kind !== "query") throw new Error("expected a query");
    const cursor = encodeCursor({ sort: plan.sort, keys: [1700000000000, 9], fingerprint: plan.fingerprint });
    expect(planProductSearch({ category: "books", minPrice: 100, limit: 50, cursor })).toMatchObject({
      after: [1700000000000, 9],
    });
    expect(planProductSearch({ category: "toys", minPrice: 100, limit: 5, cursor })).toEqual({
      kind: "invalid-cursor",
      refusal: "foreign",
    });
    // Even when the page would be empty anyway, a bad cursor is reported.
    expect(planProductSearch({ q: "***", limit: 5, cursor: "garbage!" })).toEqual({
      kind: "invalid-cursor",
      refusal: "malformed",
    });
  });

  it("fingerprints differ when any filter differs", () => {
    const base = { match: '"a"*', category: "books", minPrice: 1, maxPrice: 2 } as const;
    const prints = [
      base,
      { ...base, match: '"b"*' },
      { ...base, category: "toys" as const },
      { ...base, minPrice: 2 },
      { ...base, maxPrice: 3 },
      { ...base, minPrice: undefined },
      { ...base, merchantId: "usr_a" },
      { ...base, merchantId: "usr_b" },
    ].map(searchFingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it("keeps the fingerprint of a search without a merchant as it was before that filter existed", () => {
    // Cursors already handed out must keep working: fnv1a of the four filters, as first shipped.
    expect(searchFingerprint({ match: null })).toBe(fnv1aHex(JSON.stringify([null, null, null, null])));
  });
});

describe("toSearchPage", () => {
  const rows = [1, 2, 3].map((seq) => ({ seq, priceMinor: seq * 100, createdAt: seq, score: -seq }));

  it("announces a next page only when a row beyond the page was fetched", () => {
    const query = { sort: "price_asc", limit: 2, fingerprint: "f" } as const;
    const more = toSearchPage(rows, query);
    expect(more.rows.map((r) => r.seq)).toEqual([1, 2]);
    expect(more.nextCursor).toBe(encodeCursor({ sort: "price_asc", keys: [200, 2], fingerprint: "f" }));
    expect(toSearchPage(rows.slice(0, 2), query).nextCursor).toBeNull();
  });

  it("keys the cursor by what the sort orders by", () => {
    const cursorFor = (sort: "relevance" | "newest") =>
      toSearchPage(rows, { sort, limit: 1, fingerprint: "f" }).nextCursor;
    expect(cursorFor("relevance")).toBe(encodeCursor({ sort: "relevance", keys: [-1, 1], fingerprint: "f" }));
    expect(cursorFor("newest")).toBe(encodeCursor({ sort: "newest", keys: [1, 1], fingerprint: "f" }));
  });
});
