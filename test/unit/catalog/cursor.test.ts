import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CursorState, decodeCursor, encodeCursor } from "../../../src/flows/catalog/cursor";
import { PRODUCT_SORTS } from "../../../src/flows/catalog/sorts";

const state: CursorState = { sort: "price_asc", keys: [4999, 17], fingerprint: "0badf00d" };
const expected = { sort: state.sort, fingerprint: state.fingerprint };
const b64url = (json: string) => btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function expectRefused(cursor: string, refusal: "malformed" | "foreign", against = expected) {
  expect(decodeCursor(cursor, against)).toEqual({ ok: false, refusal });
}

describe("cursor", () => {
  it("round-trips the keys, opaque and URL-safe", () => {
    const cursor = encodeCursor(state);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, expected)).toEqual({ ok: true, position: [4999, 17] });
  });

  it("writes and reads the cursors clients already hold", () => {
    const held = "eyJ2IjoxLCJzIjoicHJpY2VfYXNjIiwiayI6WzQ5OTksMTddLCJmIjoiMGJhZGYwMGQifQ";
    expect(encodeCursor(state)).toBe(held);
    expect(decodeCursor(held, expected)).toEqual({ ok: true, position: [4999, 17] });
    const relevance = "eyJ2IjoxLCJzIjoicmVsZXZhbmNlIiwiayI6Wy0xLjI1LDNdLCJmIjoiZmRkZTNlMWUifQ";
    expect(decodeCursor(relevance, { sort: "relevance", fingerprint: "fdde3e1e" })).toEqual({
      ok: true,
      position: [-1.25, 3],
    });
  });

  it("round-trips any sort's keys, including fractional bm25 scores", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PRODUCT_SORTS),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.nat({ max: 2 ** 40 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (sort, score, key, seq) => {
          const first = sort === "relevance" ? score : key;
          const cursor = encodeCursor({ sort, keys: [first, seq], fingerprint: "f" });
          // -0 serialises as 0; for ordering the two are the same key.
          expect(decodeCursor(cursor, { sort, fingerprint: "f" })).toEqual({
            ok: true,
            position: [first === 0 ? 0 : first, seq],
          });
        },
      ),
    );
  });

  it("refuses a cursor from another sort or other filters", () => {
    const cursor = encodeCursor(state);
    expectRefused(cursor, "foreign", { ...expected, sort: "price_desc" });
    expectRefused(cursor, "foreign", { ...expected, fingerprint: "00000000" });
  });

  it.each([
    ["empty", ""],
    ["not base64url", "abc$%^"],
    ["standard base64 padding", `${encodeCursor(state)}=`],
    ["base64 of non-JSON", b64url("not json")],
    ["JSON null", b64url("null")],
    ["JSON array", b64url("[1,2]")],
    ["wrong version", b64url('{"v":2,"s":"price_asc","k":[1,1],"f":"0badf00d"}')],
    ["unknown sort", b64url('{"v":1,"s":"cheapest","k":[1,1],"f":"0badf00d"}')],
    ["extra member", b64url('{"v":1,"s":"price_asc","k":[1,1],"f":"0badf00d","x":1}')],
    ["one key", b64url('{"v":1,"s":"price_asc","k":[1],"f":"0badf00d"}')],
    ["string key", b64url('{"v":1,"s":"price_asc","k":["1",1],"f":"0badf00d"}')],
    ["negative price", b64url('{"v":1,"s":"price_asc","k":[-1,1],"f":"0badf00d"}')],
    ["fractional price", b64url('{"v":1,"s":"price_asc","k":[1.5,1],"f":"0badf00d"}')],
    ["zero seq", b64url('{"v":1,"s":"price_asc","k":[1,0],"f":"0badf00d"}')],
    ["huge seq", b64url('{"v":1,"s":"price_asc","k":[1,1e300],"f":"0badf00d"}')],
    ["numeric fingerprint", b64url('{"v":1,"s":"price_asc","k":[1,1],"f":123}')],
    ["infinite score", b64url('{"v":1,"s":"relevance","k":[1e999,1],"f":"0badf00d"}')],
    ["too long", "A".repeat(300)],
  ])("rejects %s as malformed", (_name, cursor) => {
    expectRefused(cursor, "malformed");
  });

  it("answers a tampered cursor with a refusal or well-formed keys, never a crash", () => {
    const cursor = encodeCursor(state);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(..."AQgw_-9z"), (at, ch) => {
        const tampered = cursor.slice(0, at) + ch + cursor.slice(at + 1);
        fc.pre(tampered !== cursor);
        // A flipped character may still decode to a valid cursor for this query; then it must
        // decode to well-formed keys.
        const decoded = decodeCursor(tampered, expected);
        if (decoded.ok) expect(decoded.position.every(Number.isSafeInteger)).toBe(true);
        else expect(["malformed", "foreign"]).toContain(decoded.refusal);
      }),
    );
  });
});
