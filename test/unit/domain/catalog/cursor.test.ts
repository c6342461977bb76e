import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CursorState, decodeCursor, encodeCursor } from "../../../../src/domain/catalog/cursor";
import { PRODUCT_SORTS } from "../../../../src/domain/catalog/sorts";
import { BadRequestError } from "../../../../src/platform/errors";

const state: CursorState = { sort: "price_asc", keys: [4999, 17], fingerprint: "0badf00d" };
const expected = { sort: state.sort, fingerprint: state.fingerprint };
const b64url = (json: string) => btoa(json).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function expectInvalid(cursor: string, against = expected) {
  try {
    decodeCursor(cursor, against);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).type).toBe("invalid-cursor");
    return;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe("cursor", () => {
  it("round-trips the keys, opaque and URL-safe", () => {
    const cursor = encodeCursor(state);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, expected)).toEqual([4999, 17]);
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
          expect(decodeCursor(cursor, { sort, fingerprint: "f" })).toEqual([first === 0 ? 0 : first, seq]);
        },
      ),
    );
  });

  it("refuses a cursor from another sort or other filters", () => {
    const cursor = encodeCursor(state);
    expectInvalid(cursor, { ...expected, sort: "price_desc" });
    expectInvalid(cursor, { ...expected, fingerprint: "00000000" });
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
    ["too long", "A".repeat(300)],
  ])("rejects %s", (_name, cursor) => {
    expectInvalid(cursor);
  });

  it("answers a tampered cursor with a 400 or well-formed keys, never a crash", () => {
    const cursor = encodeCursor(state);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(..."AQgw_-9z"), (at, ch) => {
        const tampered = cursor.slice(0, at) + ch + cursor.slice(at + 1);
        fc.pre(tampered !== cursor);
        try {
          // A flipped character may still decode to a valid cursor for this query; then it must
          // decode to well-formed keys, never crash.
          const [key, seq] = decodeCursor(tampered, expected);
          expect(Number.isSafeInteger(key) && Number.isSafeInteger(seq)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(BadRequestError);
        }
      }),
    );
  });
});
