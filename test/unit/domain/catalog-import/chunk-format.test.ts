import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  rawChunkLine,
  readChunkLine,
  stagedChunkLine,
} from "../../../../src/domain/catalog-import/chunk-format";
import { stageNdjsonLine } from "../../../../src/domain/catalog-import/staged-row";

describe("chunk lines", () => {
  it("given a raw NDJSON line, the applier reads it as the planner used to stage it", () => {
    expect(readChunkLine(rawChunkLine(7, '{"sku":"A-1","price":"1.00"}'))).toEqual({
      line: 7,
      fields: { sku: "A-1", price: "1.00" },
    });
    expect(readChunkLine(rawChunkLine(8, "not json"))).toEqual({ line: 8, error: "not valid JSON" });
    expect(readChunkLine(rawChunkLine(9, "[1,2]"))).toEqual({ line: 9, error: "must be a JSON object" });
    expect(readChunkLine(rawChunkLine(10, "null"))).toEqual({ line: 10, error: "must be a JSON object" });
    // A tab inside the row is the row's: only the first one ends the line number.
    expect(readChunkLine(rawChunkLine(11, '{"a":"x"}\t'))).toEqual({ line: 11, fields: { a: "x" } });
  });

  it("given a staged row (a CSV record, or a chunk written before raw lines), reads it back", () => {
    const fields = { line: 3, fields: { sku: "C-1", title: "Lamp, brass" } };
    expect(readChunkLine(stagedChunkLine(fields))).toEqual(fields);
    const error = { line: 4, error: "has 3 field(s); the header has 7" };
    expect(readChunkLine(stagedChunkLine(error))).toEqual(error);
  });

  it("given a line that is neither form, fails loudly rather than inventing a row", () => {
    expect(() => readChunkLine("garbage")).toThrow(/malformed chunk line/);
  });

  it("property: any non-blank NDJSON line reads back exactly as it was staged before", () => {
    const lines = fc.oneof(
      fc.json(),
      fc.string().filter((s) => !s.includes("\n")),
      fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), lines, (line, text) => {
        const staged = stageNdjsonLine({ line, text });
        fc.pre(staged !== null);
        expect(readChunkLine(rawChunkLine(line, text))).toEqual(staged);
      }),
    );
  });
});
