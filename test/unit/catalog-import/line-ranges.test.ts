import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LineRange, LineRangeScanner } from "../../../src/flows/catalog-import/line-ranges";
import { rangeRows } from "../../../src/flows/catalog-import/range-rows";
import type { StagedRow } from "../../../src/flows/catalog-import/staged-row";

const encode = (s: string) => new TextEncoder().encode(s);

/** Scans `bytes` delivered in pieces cut at `cuts` (byte positions, possibly inside a character). */
function scan(bytes: Uint8Array, rowsPerChunk: number, cuts: number[] = []): LineRange[] {
  const scanner = new LineRangeScanner(rowsPerChunk);
  const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  const out: LineRange[] = [];
  let from = 0;
  for (const to of [...at, bytes.length]) {
    out.push(...scanner.push(bytes.subarray(from, to)));
    from = to;
  }
  return [...out, ...scanner.end()];
}

/** The rows of every range, read the way the applier reads them. */
const rowsOfRanges = (bytes: Uint8Array, ranges: LineRange[]) =>
  ranges.map((r) =>
    rangeRows(
      new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(
        bytes.subarray(r.offset, r.offset + r.length),
      ),
      r.firstLine,
    ),
  );

/** The reference: the whole file decoded (BOM dropped) and read as one range from line 1. */
const rowsOfWholeFile = (bytes: Uint8Array): StagedRow[] => rangeRows(new TextDecoder().decode(bytes), 1);

describe("LineRangeScanner", () => {
  it("given multi-byte titles, cuts chunks at byte offsets of line starts, with their first lines", () => {
    const lines = ['{"title":"Café ☕"}', "", '{"title":"naïve"}', '{"title":"日本"}', "   "];
    const bytes = encode(`${lines.join("\n")}\n`);
    const ranges = scan(bytes, 2);
    const second = encode(`${lines.slice(0, 3).join("\n")}\n`).length;
    expect(ranges).toEqual([
      { offset: 0, length: second, firstLine: 1, rows: 2 },
      // The blank line after the last row is in no range.
      { offset: second, length: encode(`${lines[3]}\n`).length, firstLine: 4, rows: 1 },
    ]);
    expect(rowsOfRanges(bytes, ranges)).toEqual([
      [
        { line: 1, fields: { title: "Café ☕" } },
        { line: 3, fields: { title: "naïve" } },
      ],
      [{ line: 4, fields: { title: "日本" } }],
    ]);
  });

  it("skips a leading BOM, even split across pieces, and keeps a last line without a line break", () => {
    const bytes = encode('\uFEFF{"a":1}\r\n\n  \nnot json');
    const ranges = scan(bytes, 1_000, [1, 2]);
    expect(ranges).toEqual([{ offset: 3, length: bytes.length - 3, firstLine: 1, rows: 2 }]);
    expect(rowsOfRanges(bytes, ranges)).toEqual([
      [
        { line: 1, fields: { a: 1 } },
        { line: 4, error: "not valid JSON" },
      ],
    ]);
  });

  it("treats a line of Unicode spaces as blank and a line of other non-ASCII text as a row", () => {
    const bytes = encode('\u3000\u00A0\n☕\n{"b":2}');
    const ranges = scan(bytes, 1_000, [1, 4]);
    expect(ranges.map((r) => ({ firstLine: r.firstLine, rows: r.rows }))).toEqual([
      { firstLine: 2, rows: 2 },
    ]);
    expect(rowsOfRanges(bytes, ranges)[0]).toEqual([
      { line: 2, error: "not valid JSON" },
      { line: 3, fields: { b: 2 } },
    ]);
  });

  it("finds nothing in an empty file or a file of blank lines", () => {
    expect(scan(encode(""), 10)).toEqual([]);
    expect(scan(encode("\n \r\n\t\n"), 10)).toEqual([]);
  });

  it("property: the ranges hold exactly the rows (lines, reasons) of the whole file, cut anywhere", () => {
    const line = fc.oneof(
      fc.constant(""),
      fc.constantFrom(" ", "\t", "\r", "\u00A0", "\u3000 ", "\uFEFF"),
      fc.string({ unit: "grapheme", maxLength: 8 }).map((title) => JSON.stringify({ title })),
      fc.constantFrom("Café ☕", "[1]", "null", '{"x":"é', "\uFEFF{}", "😀"),
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(line, { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (bom, lines, trailingBreak, rowsPerChunk, cuts) => {
          const text = `${bom ? "\uFEFF" : ""}${lines.join("\n")}${trailingBreak ? "\n" : ""}`;
          const bytes = encode(text);
          const ranges = scan(
            bytes,
            rowsPerChunk,
            cuts.map((c) => c % (bytes.length + 1)),
          );
          const perRange = rowsOfRanges(bytes, ranges);
          expect(perRange.flat()).toEqual(rowsOfWholeFile(bytes));
          expect(perRange.map((rows) => rows.length)).toEqual(ranges.map((r) => r.rows));
          // Every chunk but the last is full.
          expect(ranges.slice(0, -1).every((r) => r.rows === rowsPerChunk)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
