import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvField, csvLine, minorToDecimal } from "../../../src/flows/reports/csv";

/** A minimal RFC 4180 reader, to check that what we write reads back as what we meant. */
function parseLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (line[i] === '"' && line[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else field += line[i++];
      }
    } else while (i < line.length && line[i] !== ",") field += line[i++];
    out.push(field);
    if (line[i] !== ",") return out;
    i++;
  }
}

describe("csvField", () => {
  it("quotes fields with commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField('Mug, "blue"')).toBe('"Mug, ""blue"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
  });

  it("defuses spreadsheet formulas but leaves decimals alone", () => {
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-0.05")).toBe("-0.05");
  });

  it("reads back as written, for any text without a leading formula character", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s)),
          { minLength: 1 },
        ),
        (cells) => {
          const line = csvLine(cells);
          expect(line.endsWith("\r\n")).toBe(true);
          expect(parseLine(line.slice(0, -2))).toEqual(cells);
        },
      ),
    );
  });
});

describe("minorToDecimal", () => {
  it("writes exact major units by the currency's digits", () => {
    expect(minorToDecimal(2950, "USD")).toBe("29.50");
    expect(minorToDecimal(5, "EUR")).toBe("0.05");
    expect(minorToDecimal(0, "USD")).toBe("0.00");
    expect(minorToDecimal(1200, "JPY")).toBe("1200");
    expect(minorToDecimal(1234, "BHD")).toBe("1.234");
    expect(minorToDecimal(-5, "USD")).toBe("-0.05");
  });

  it("round-trips every amount in cents", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (minor) => {
        expect(Math.round(Number(minorToDecimal(minor, "USD")) * 100)).toBe(minor);
      }),
    );
  });
});
