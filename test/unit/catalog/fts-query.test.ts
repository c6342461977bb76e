import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FTS_MAX_TOKEN_LENGTH, FTS_MAX_TOKENS, toFtsQuery } from "../../../src/flows/catalog/fts-query";

// The shape every non-null result must have: quoted tokens joined by AND, only the last one a prefix.
const SAFE = /^"[^"]+"( AND "[^"]+")*\*$/u;

describe("toFtsQuery", () => {
  it("quotes each word, AND-joins them and makes the last a prefix", () => {
    expect(toFtsQuery("brass desk lam")).toBe('"brass" AND "desk" AND "lam"*');
    expect(toFtsQuery("lamp")).toBe('"lamp"*');
  });

  it.each([
    ["", null],
    ["   ", null],
    ['"', null],
    ["*", null],
    ["^", null],
    ["-", null],
    ["()", null],
    ['"*^-+(){}:', null],
    ["😀🔥", null],
    ["NEAR(", '"NEAR"*'],
    ["a OR", '"a" AND "OR"*'],
    ["NOT lamp", '"NOT" AND "lamp"*'],
    ["lamp AND shade", '"lamp" AND "AND" AND "shade"*'],
    ["title:x", '"x"*'],
    ["{title description}:lamp", '"lamp"*'],
    ["open 10:30", '"open" AND "10" AND "30"*'],
    ['"unterminated', '"unterminated"*'],
    ["^start -exclude +plus", '"start" AND "exclude" AND "plus"*'],
    ["NEAR(a b, 3)", '"NEAR" AND "a" AND "b" AND "3"*'],
    ["café Straße", '"café" AND "Straße"*'],
    ["cafe\u0301", '"cafe\u0301"*'],
    ["東京 ランプ", '"東京" AND "ランプ"*'],
    ["lamp 😀 shade", '"lamp" AND "shade"*'],
  ])("makes %j safe", (input, expected) => {
    expect(toFtsQuery(input)).toBe(expected);
  });

  it("keeps at most FTS_MAX_TOKENS words", () => {
    const query = toFtsQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(" "));
    expect(query?.split(" AND ")).toHaveLength(FTS_MAX_TOKENS);
    expect(query?.endsWith(`"w${FTS_MAX_TOKENS - 1}"*`)).toBe(true);
  });

  it("truncates long words by code point, never splitting a surrogate pair", () => {
    expect(toFtsQuery("x".repeat(10_000))).toBe(`"${"x".repeat(FTS_MAX_TOKEN_LENGTH)}"*`);
    const astral = "𠀀".repeat(100); // a CJK letter outside the BMP: two UTF-16 units each
    expect(toFtsQuery(astral)).toBe(`"${"𠀀".repeat(FTS_MAX_TOKEN_LENGTH)}"*`);
  });

  it("handles 10,000 characters of operators without finding a word", () => {
    expect(toFtsQuery('"*^-()'.repeat(1700))).toBeNull();
  });

  it("always yields null or a well-formed expression, whatever the input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (input) => {
        const query = toFtsQuery(input);
        if (query !== null) {
          expect(query).toMatch(SAFE);
          expect(query.split(" AND ").length).toBeLessThanOrEqual(FTS_MAX_TOKENS);
        }
      }),
      { numRuns: 500 },
    );
  });
});
