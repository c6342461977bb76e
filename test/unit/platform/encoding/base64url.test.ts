import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fromBase64,
  fromBase64Url,
  toBase64,
  toBase64Url,
} from "../../../../src/platform/encoding/base64url";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("base64 and base64url", () => {
  it("matches the RFC 4648 §10 vectors, unpadded in base64url", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg=="],
      ["fo", "Zm8="],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg=="],
      ["fooba", "Zm9vYmE="],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [text, base64] of vectors) {
      expect(toBase64(bytes(text))).toBe(base64);
      expect(toBase64Url(bytes(text))).toBe(base64.replace(/=+$/, ""));
    }
  });

  it("uses - and _ where base64 has + and /", () => {
    const b = Uint8Array.of(0xfb, 0xff, 0xbf);
    expect(toBase64(b)).toBe("+/+/");
    expect(toBase64Url(b)).toBe("-_-_");
    expect(fromBase64Url("-_-_")).toEqual(b);
  });

  it("round-trips any bytes, and base64url output is URL-safe", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        expect(fromBase64(toBase64(b))).toEqual(b);
        const url = toBase64Url(b);
        expect(url).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(fromBase64Url(url)).toEqual(b);
      }),
    );
  });

  it("encodes large arrays (no argument spread to overflow the stack)", () => {
    const big = new Uint8Array(1 << 19).fill(0xab);
    const back = fromBase64Url(toBase64Url(big));
    expect(back.byteLength === big.byteLength && back.every((b) => b === 0xab)).toBe(true);
  });

  it.each(["Zg==", "Zm8=", "+/+/", "a b", "Z"])("refuses %j as base64url", (text) => {
    expect(() => fromBase64Url(text)).toThrow();
  });
});
