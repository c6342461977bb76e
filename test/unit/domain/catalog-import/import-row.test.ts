import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateImportRow } from "../../../../src/domain/catalog-import/import-row";
import { LineSplitter } from "../../../../src/domain/catalog-import/line-splitter";
import {
  csvColumns,
  stageNdjsonLine,
  UnreadableImportError,
} from "../../../../src/domain/catalog-import/staged-row";

const row = (over: Record<string, unknown> = {}) => ({
  sku: "SKU-1",
  title: "Lamp",
  description: "A lamp",
  category: "lighting",
  price: "19.99",
  stock: 3,
  ...over,
});

describe("validateImportRow", () => {
  it("given a good row, reads the price into minor units and defaults the currency", () => {
    expect(validateImportRow(row())).toEqual({
      ok: true,
      product: {
        sku: "SKU-1",
        title: "Lamp",
        description: "A lamp",
        category: "lighting",
        priceMinor: 1999,
        currency: "USD",
        stock: 3,
      },
    });
  });

  it.each([
    ["5", 500],
    ["0.5", 50],
    ["12.30", 1230],
    [7.25, 725],
  ])("given price %j, stores %d minor units", (price, minor) => {
    expect(validateImportRow(row({ price }))).toMatchObject({ ok: true, product: { priceMinor: minor } });
  });

  it.each(["19.999", "-1", "1e3", "", "abc", "0"])(
    "given price %j, rejects the row naming the price",
    (price) => {
      const verdict = validateImportRow(row({ price }));
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(verdict.reason).toMatch(/^price: /);
    },
  );

  it("given several bad fields, names each; unknown and missing fields too", () => {
    const verdict = validateImportRow({
      ...row({ category: "spaceships", stock: "-2", colour: "red" }),
      title: undefined,
    });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toContain("category: must be one of");
      expect(verdict.reason).toContain("stock: must be 0 or more");
      expect(verdict.reason).toContain("title: is required");
      expect(verdict.reason).toContain("unknown field(s): colour");
    }
  });

  it("property: any price with at most 2 decimals round-trips to minor units", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (minor) => {
        const price = `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
        expect(validateImportRow(row({ price }))).toMatchObject({ ok: true, product: { priceMinor: minor } });
      }),
    );
  });
});

describe("NDJSON lines", () => {
  it("numbers lines across pieces, strips CR, and stages blank lines as nothing", () => {
    const lines = new LineSplitter();
    const out = [...lines.push('{"a":1}\r\n\n{"b"'), ...lines.push(":2}\n[1]"), ...lines.end()];
    expect(out).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: "" },
      { line: 3, text: '{"b":2}' },
      { line: 4, text: "[1]" },
    ]);
    expect(out.map(stageNdjsonLine)).toEqual([
      { line: 1, fields: { a: 1 } },
      null,
      { line: 3, fields: { b: 2 } },
      { line: 4, error: "must be a JSON object" },
    ]);
  });
});

describe("csvColumns", () => {
  it("given a header in any order and case (with a BOM), reads the columns", () => {
    expect(
      csvColumns({ line: 1, fields: ["\uFEFFSKU", "Title", "description", "category", "price", "stock"] }),
    ).toEqual(["sku", "title", "description", "category", "price", "stock"]);
  });

  it("given a header missing columns or with unknown ones, the file is unreadable", () => {
    expect(() => csvColumns({ line: 1, fields: ["sku", "name"] })).toThrow(UnreadableImportError);
    expect(() => csvColumns({ line: 1, fields: ["sku", "name"] })).toThrow(
      /missing column\(s\): title.*unknown column\(s\): name/,
    );
  });
});
