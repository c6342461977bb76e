import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, listFingerprint } from "../../../src/flows/ops/cursor";

const fp = listFingerprint("dead-letters", { status: "dead" });

function refusal(cursor: string, fingerprint = fp): string {
  const decoded = decodeCursor(cursor, fingerprint);
  if (decoded.ok) throw new Error("cursor was accepted");
  return decoded.refusal;
}

const raw = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "");

describe("keyset cursors", () => {
  it("round-trips any time and id", () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ minLength: 1, maxLength: 64, unit: "binary" }), (time, id) => {
        const cursor = encodeCursor([time, id], fp);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor, fp)).toEqual({ ok: true, position: [time, id] });
      }),
    );
  });

  it("writes and reads the cursors clients already hold", () => {
    expect(fp).toBe("38b3c3cf");
    const held = "eyJ2IjoxLCJrIjpbMTc2NzIyNTYwMDAwMCwiZGxxXzAxIl0sImYiOiIzOGIzYzNjZiJ9";
    expect(encodeCursor([1767225600000, "dlq_01"], fp)).toBe(held);
    expect(decodeCursor(held, fp)).toEqual({ ok: true, position: [1767225600000, "dlq_01"] });
    const unicode = "eyJ2IjoxLCJrIjpbMCwiw6nimJUiXSwiZiI6IjM4YjNjM2NmIn0";
    expect(decodeCursor(unicode, fp)).toEqual({ ok: true, position: [0, "é☕"] });
  });

  it("fingerprints filters regardless of key order or absent values", () => {
    expect(listFingerprint("x", { a: "1", b: "2" })).toBe(listFingerprint("x", { b: "2", a: "1" }));
    expect(listFingerprint("x", { a: "1", b: undefined })).toBe(listFingerprint("x", { a: "1" }));
    expect(listFingerprint("x", { a: "1" })).not.toBe(listFingerprint("x", { a: "2" }));
    expect(listFingerprint("x", { a: "1" })).not.toBe(listFingerprint("y", { a: "1" }));
  });

  it("refuses a cursor issued for other filters", () => {
    const other = encodeCursor([1, "a"], listFingerprint("dead-letters", { status: "redriven" }));
    expect(refusal(other)).toBe("foreign");
  });

  it("refuses malformed cursors", () => {
    for (const bad of [
      "%%%",
      "a".repeat(600),
      "bm90IGpzb24", // "not json"
      raw([1, 2]),
      raw({ v: 2, k: [1, "a"], f: fp }),
      raw({ v: 1, k: [1, "a"], f: fp, extra: true }),
      raw({ v: 1, k: [-1, "a"], f: fp }),
      raw({ v: 1, k: [1.5, "a"], f: fp }),
      raw({ v: 1, k: [1, ""], f: fp }),
      raw({ v: 1, k: [1], f: fp }),
      raw({ v: 1, k: [1, "a"] }),
    ]) {
      expect(refusal(bad)).toBe("malformed");
    }
  });
});
