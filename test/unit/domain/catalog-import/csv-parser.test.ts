import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CsvParser, type CsvRecord } from "../../../../src/domain/catalog-import/csv-parser";
import { csvField } from "../../../../src/routes/catalog-imports/error-report";

/** Parses `text` pushed in the given pieces. */
function parse(pieces: readonly string[]): CsvRecord[] {
  const parser = new CsvParser();
  return [...pieces.flatMap((p) => parser.push(p)), ...parser.end()];
}

/** Cuts a string at the given positions. */
const cut = (text: string, at: number[]) => {
  const points = [...new Set(at.map((a) => a % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((p, i) => text.slice(p, points[i] ?? text.length));
};

describe("CsvParser", () => {
  it("given quoted fields with commas, quotes and line breaks, reads each record from its first line", () => {
    const text = 'a,b\r\n"x, y","say ""hi""\nthere"\n\nlast,row';
    expect(parse([text])).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"\nthere'] },
      { line: 5, fields: ["last", "row"] },
    ]);
  });

  it("given empty cells, keeps them as empty fields", () => {
    expect(parse(["a,,c,\n"])).toEqual([{ line: 1, fields: ["a", "", "c", ""] }]);
  });

  it("property: records written as CSV read back the same, however the text is split", () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é") });
    const record = fc
      .array(field, { minLength: 1, maxLength: 4 })
      .filter((r) => !(r.length === 1 && r[0] === ""));
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (records, at, crlf) => {
          const eol = crlf ? "\r\n" : "\n";
          const text = records
            .map((r) => r.map((f) => (f === "" ? "" : `"${f.replaceAll('"', '""')}"`)).join(","))
            .join(eol);
          const parsed = parse(cut(text, at));
          expect(parsed.map((r) => r.fields)).toEqual(records);
          // Each record starts on the line after the previous record's last line.
          let line = 1;
          parsed.forEach((p, i) => {
            expect(p.line).toBe(line);
            line += 1 + (records[i]!.join(",").match(/\n/g)?.length ?? 0);
          });
        },
      ),
    );
  });

  it("csvField quotes only what needs quoting", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
  });
});
