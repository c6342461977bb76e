import { describe, expect, it } from "vitest";
import {
  hashPassword,
  PBKDF2_ITERATIONS,
  PBKDF2_MAX_ITERATIONS,
  verifyPassword,
} from "../../../src/flows/accounts/password";

describe("password hashing", () => {
  it("pins PBKDF2 to the production Workers cap of 100,000 iterations", async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(100_000);
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    const stored = await hashPassword("s3cret-pass");
    expect(stored.split("$")[1]).toBe("100000");
  });

  it("refuses an iteration count above the cap, which production would reject at login time", async () => {
    // Local workerd accepts more; this guard is what keeps a too-high setting from passing tests.
    await expect(hashPassword("s3cret-pass", 100_001)).rejects.toThrow(RangeError);
    await expect(verifyPassword("x", "pbkdf2-sha256$200000$AAAA$AAAA")).rejects.toThrow(RangeError);
  });

  it("salts each hash and verifies only the right password", async () => {
    const a = await hashPassword("correct horse");
    const b = await hashPassword("correct horse");
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse", a)).toBe(true);
    expect(await verifyPassword("correct horsf", a)).toBe(false);
    expect(await verifyPassword("correct horse", "garbage")).toBe(false);
  });
});
