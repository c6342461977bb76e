import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CsvRecord, readCsvRecords } from "../../../src/flows/catalog-import/csv-records";
import { csvField } from "../../../src/routes/catalog-import/error-report";

/** Reads `text`, UTF-8 encoded and streamed in pieces cut at the given byte offsets. */
async function parse(text: string, at: number[] = []): Promise<CsvRecord[]> {
  const bytes = new TextEncoder().encode(text);
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces = [0, ...points].map((p, i) => bytes.slice(p, points[i] ?? bytes.length));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(body)) records.push(record);
  return records;
}

describe("readCsvRecords", () => {
  it("given quoted fields with commas, quotes and line breaks, reads each record from its first line", async () => {
    const text = 'a,b\r\n"x, y","say ""hi""\nthere"\n\nlast,row';
    expect(await parse(text)).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"\nthere'] },
      { line: 5, fields: ["last", "row"] },
    ]);
  });

  it("given empty cells, keeps them as empty fields", async () => {
    expect(await parse("a,,c,\n")).toEqual([{ line: 1, fields: ["a", "", "c", ""] }]);
  });

  it("given a BOM split across pieces and mixed line endings, drops the BOM and counts every line", async () => {
    const text = '\uFEFFa,b\r\n"1\r\n2",x\n\r\n\rc,d\re,f\n';
    for (const at of [[], [1], [2], [3, 8]]) {
      expect(await parse(text, at)).toEqual([
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1\r\n2", "x"] },
        { line: 6, fields: ["c", "d"] },
        { line: 7, fields: ["e", "f"] },
      ]);
    }
  });

  it("given a line of spaces and a ragged row, keeps both as records", async () => {
    expect(await parse("a,b,c\n  \nx,y\n")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["  "] },
      { line: 3, fields: ["x", "y"] },
    ]);
  });

  it("given quotes RFC 4180 does not allow, keeps them as data", async () => {
    expect(await parse('a"b,"c"d,e\n')).toEqual([{ line: 1, fields: ['a"b', '"c"d', "e"] }]);
  });

  it("given a quote never closed, ends with that record, marked, on its first line", async () => {
    const records = await parse('a,b\n\n"x,\ny\nz,w\n');
    expect(records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 3, fields: [], error: expect.stringContaining("never closed") },
    ]);
  });

  it("property: records written as CSV read back the same, however the bytes are split", async () => {
    const field = fc.string({ unit: fc.constantFrom("a", "b", ",", '"', "\n", "\r\n", " ", "é") });
    const record = fc
      .array(field, { minLength: 1, maxLength: 4 })
      .filter((r) => !(r.length === 1 && r[0] === ""));
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        async (records, at, crlf) => {
          const eol = crlf ? "\r\n" : "\n";
          const text = records
            .map((r) => r.map((f) => (f === "" ? "" : `"${f.replaceAll('"', '""')}"`)).join(","))
            .join(eol);
          const parsed = await parse(text, at);
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
