import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, listFingerprint } from "../../../../src/domain/ops/cursor";
import { AppError } from "../../../../src/platform/errors";

const fp = listFingerprint("dead-letters", { status: "dead" });

function refusal(cursor: string, fingerprint = fp): string {
  try {
    decodeCursor(cursor, fingerprint);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).status).toBe(400);
    expect((e as AppError).type).toBe("invalid-cursor");
    return (e as AppError).message;
  }
  throw new Error("cursor was accepted");
}

const raw = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, "");

describe("keyset cursors", () => {
  it("round-trips any time and id", () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ minLength: 1, maxLength: 64, unit: "binary" }), (time, id) => {
        const cursor = encodeCursor([time, id], fp);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeCursor(cursor, fp)).toEqual([time, id]);
      }),
    );
  });

  it("fingerprints filters regardless of key order or absent values", () => {
    expect(listFingerprint("x", { a: "1", b: "2" })).toBe(listFingerprint("x", { b: "2", a: "1" }));
    expect(listFingerprint("x", { a: "1", b: undefined })).toBe(listFingerprint("x", { a: "1" }));
    expect(listFingerprint("x", { a: "1" })).not.toBe(listFingerprint("x", { a: "2" }));
    expect(listFingerprint("x", { a: "1" })).not.toBe(listFingerprint("y", { a: "1" }));
  });

  it("refuses a cursor issued for other filters", () => {
    const other = encodeCursor([1, "a"], listFingerprint("dead-letters", { status: "redriven" }));
    expect(refusal(other)).toContain("different list or filters");
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
      expect(refusal(bad)).toContain("Request the first page again");
    }
  });
});
