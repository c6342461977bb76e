import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toBase64Url } from "../../../../src/platform/encoding/base64url";
import { decodeOpaque, encodeOpaque } from "../../../../src/platform/encoding/opaque-token";

const json = (value: unknown) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));

describe("opaque tokens", () => {
  it("encodes JSON as unpadded base64url, as every token issued so far", () => {
    expect(encodeOpaque({ orderId: "ord_1", version: 3 })).toBe("eyJvcmRlcklkIjoib3JkXzEiLCJ2ZXJzaW9uIjozfQ");
    expect(encodeOpaque([1767225600000, "ord_01"])).toBe("WzE3NjcyMjU2MDAwMDAsIm9yZF8wMSJd");
  });

  it("round-trips any JSON value through its schema", () => {
    const schema = z.tuple([z.int(), z.string()]);
    fc.assert(
      fc.property(fc.integer(), fc.string({ unit: "binary", maxLength: 64 }), (n, text) => {
        const token = encodeOpaque([n, text]);
        expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeOpaque(token, schema)).toEqual([n, text]);
      }),
    );
  });

  it.each([
    ["empty", ""],
    ["not base64url", "a!b"],
    ["padded", `${encodeOpaque({ a: 1 })}=`],
    ["not JSON", toBase64Url(new TextEncoder().encode("not json"))],
    ["not UTF-8", toBase64Url(Uint8Array.of(0x22, 0xff, 0x22))],
    ["against the schema", json({ a: "1" })],
    ["too long", json({ a: 1, pad: "x".repeat(600) })],
  ])("answers null for a token %s", (_name, token) => {
    expect(decodeOpaque(token, z.strictObject({ a: z.number() }))).toBeNull();
  });

  it("honours a smaller length cap", () => {
    const token = encodeOpaque({ a: 1 });
    expect(decodeOpaque(token, z.object({ a: z.number() }), token.length)).toEqual({ a: 1 });
    expect(decodeOpaque(token, z.object({ a: z.number() }), token.length - 1)).toBeNull();
  });
});
