import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fnv1a, fnv1aHex } from "../../../../src/platform/encoding/fnv1a";

describe("FNV-1a (32-bit)", () => {
  it("matches the reference vectors", () => {
    // From the FNV reference test suite (ASCII, so code units are bytes).
    expect(fnv1a("")).toBe(0x811c9dc5);
    expect(fnv1a("a")).toBe(0xe40c292c);
    expect(fnv1a("foobar")).toBe(0xbf9cf968);
    expect(fnv1aHex("")).toBe("811c9dc5");
    expect(fnv1aHex("foobar")).toBe("bf9cf968");
  });

  it("keeps the values shards and cursors were computed with", () => {
    // A changed hash would move sandbox payments and dedup keys to other shards and refuse every
    // cursor a client holds: these pin the values issued so far.
    expect(fnv1aHex(JSON.stringify(['"lamp"', null, null, null]))).toBe("fdde3e1e");
    expect(fnv1aHex(JSON.stringify(["dead-letters", [["status", "dead"]]]))).toBe("38b3c3cf");
  });

  it("is an unsigned 32-bit integer, and its hex form is 8 digits of the same number", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const hash = fnv1a(text);
        expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 32).toBe(true);
        expect(fnv1aHex(text)).toMatch(/^[0-9a-f]{8}$/);
        expect(Number.parseInt(fnv1aHex(text), 16)).toBe(hash);
      }),
    );
  });
});
