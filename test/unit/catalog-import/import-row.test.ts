import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  collectIgnoredFields,
  listedIgnoredColumns,
  MAX_IGNORED_COLUMNS,
  validateImportRow,
} from "../../../src/flows/catalog-import/import-row";
import { rangeRows } from "../../../src/flows/catalog-import/range-rows";
import {
  csvColumns,
  stageCsvRecord,
  UnreadableImportError,
} from "../../../src/flows/catalog-import/staged-row";

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
  it("given a currency no quote supports, rejects the row naming currency", () => {
    for (const currency of ["EUR", "XXX", "BTC", "usd"]) {
      expect(validateImportRow(row({ currency }))).toEqual({
        ok: false,
        reason: "currency: must be a currency quotes support: USD",
      });
    }
    expect(validateImportRow(row({ currency: "" }))).toMatchObject({
      ok: true,
      product: { currency: "USD" },
    });
  });

  it("given a NUL or a lone surrogate in a text field, rejects the row naming the field", () => {
    expect(validateImportRow(row({ title: "Lamp\u0000" }))).toEqual({
      ok: false,
      reason: "title: must not contain NUL characters or unpaired UTF-16 surrogates",
    });
    expect(validateImportRow(row({ description: "\ud800" }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^description: must not contain NUL/),
    });
  });

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

  it("given several bad fields, names each; missing fields too, and never an unknown one", () => {
    const verdict = validateImportRow({
      ...row({ category: "spaceships", stock: "-2", colour: "red" }),
      title: undefined,
    });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason).toContain("category: must be one of");
      expect(verdict.reason).toContain("stock: must be 0 or more");
      expect(verdict.reason).toContain("title: is required");
      expect(verdict.reason).not.toContain("colour");
    }
  });

  it("given fields an import does not use, ignores them and collects their names", () => {
    const fields = row({ colour: "red", vendor_id: 7 });
    expect(validateImportRow(fields)).toMatchObject({
      ok: true,
      product: { sku: "SKU-1", priceMinor: 1999 },
    });
    const ignored = new Set<string>();
    collectIgnoredFields(fields, ignored);
    collectIgnoredFields(row({ colour: "blue", currency: "EUR" }), ignored);
    expect([...ignored].sort()).toEqual(["colour", "vendor_id"]);
  });

  it("property: the listed ignored names are the same whatever order they arrive in", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 120 }), { maxLength: 60 }), (names) => {
        const listed = listedIgnoredColumns(names);
        expect(listed.length).toBeLessThanOrEqual(MAX_IGNORED_COLUMNS);
        expect(listedIgnoredColumns([...names].reverse())).toEqual(listed);
        // Merging lists (as chunks do) gives the list of all the names.
        const half = Math.floor(names.length / 2);
        expect(
          listedIgnoredColumns([
            ...listedIgnoredColumns(names.slice(0, half)),
            ...listedIgnoredColumns(names.slice(half)),
          ]),
        ).toEqual(listed);
      }),
    );
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
  it("numbers lines, strips CR, and reads blank lines as no row", () => {
    expect(rangeRows('{"a":1}\r\n\n{"b":2}\n[1]', 1)).toEqual([
      { line: 1, fields: { a: 1 } },
      { line: 3, fields: { b: 2 } },
      { line: 4, error: "must be a JSON object" },
    ]);
  });
});

describe("csvColumns", () => {
  it("given a header in any order and case (with a BOM), reads the columns", () => {
    expect(
      csvColumns({ line: 1, fields: ["\uFEFFSKU", "Title", "description", "category", "price", "stock"] }),
    ).toEqual({ columns: ["sku", "title", "description", "category", "price", "stock"], ignored: [] });
  });

  it("given a header missing columns, the file is unreadable (an unknown column is not a problem)", () => {
    expect(() => csvColumns({ line: 1, fields: ["sku", "name"] })).toThrow(UnreadableImportError);
    expect(() => csvColumns({ line: 1, fields: ["sku", "name"] })).toThrow(/missing column\(s\): title, /);
    expect(() => csvColumns({ line: 1, fields: ["sku", "name"] })).not.toThrow(/name/);
  });

  it("given a repeated column, the file is unreadable", () => {
    const fields = ["sku", "title", "description", "category", "price", "stock", "Price"];
    expect(() => csvColumns({ line: 1, fields })).toThrow(/repeated column\(s\): price/);
  });

  it("given extra columns, names them as written and leaves them out of every row", () => {
    const header = csvColumns({
      line: 1,
      fields: ["Handle", "sku", "title", "description", "category", "price", "stock", " Vendor "],
    });
    expect(header.ignored).toEqual(["Handle", "Vendor"]);
    const record = { line: 2, fields: ["h", "S-1", "Lamp", "A lamp", "lighting", "1.00", "3", "Acme"] };
    expect(stageCsvRecord(header, record)).toEqual({
      line: 2,
      fields: {
        sku: "S-1",
        title: "Lamp",
        description: "A lamp",
        category: "lighting",
        price: "1.00",
        stock: "3",
      },
    });
    expect(stageCsvRecord(header, { line: 3, fields: ["S-2"] })).toEqual({
      line: 3,
      error: "has 1 field(s); the header has 8",
    });
  });
});
