import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readChunkLine, stagedChunkLine } from "../../../src/flows/catalog-import/chunk-format";
import type { StagedRow } from "../../../src/flows/catalog-import/staged-row";

describe("chunk lines", () => {
  it("given a staged row (a CSV record), reads it back", () => {
    const fields = { line: 3, fields: { sku: "C-1", title: "Lamp, brass" } };
    expect(readChunkLine(stagedChunkLine(fields))).toEqual(fields);
    const error = { line: 4, error: "has 3 field(s); the header has 7" };
    expect(readChunkLine(stagedChunkLine(error))).toEqual(error);
  });

  it("given a line that is not a staged row, fails loudly rather than inventing a row", () => {
    expect(() => readChunkLine("garbage")).toThrow(/malformed chunk line/);
    expect(() => readChunkLine('7\t{"sku":"A-1"}')).toThrow(/malformed chunk line/);
  });

  it("property: any staged row is one line and reads back as it was written", () => {
    const rows: fc.Arbitrary<StagedRow> = fc.oneof(
      fc.record({ line: fc.nat(), fields: fc.dictionary(fc.string(), fc.string()) }),
      fc.record({ line: fc.nat(), error: fc.string() }),
    );
    fc.assert(
      fc.property(rows, (row) => {
        const chunkLine = stagedChunkLine(row);
        expect(chunkLine).not.toContain("\n");
        expect(readChunkLine(chunkLine)).toEqual(row);
      }),
    );
  });
});
