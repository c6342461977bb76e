import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  jumpHash,
  ShardConfigError,
  shardBindingName,
  shardBindings,
  shardCount,
  shardIndexOf,
} from "../../../../src/platform/db/shards";

const keys = Array.from({ length: 20_000 }, (_, i) => `usr_${i.toString(36).padStart(6, "0")}`);
const fakeEnv = (vars: Record<string, unknown>) => vars as unknown as Env;

describe("jumpHash", () => {
  it("given one bucket, then every key goes to it", () => {
    for (const k of [0n, 1n, 2n ** 63n, 2n ** 64n - 1n]) expect(jumpHash(k, 1)).toBe(0);
  });

  it("given a key, then it always picks the same bucket within range", () => {
    for (let n = 1; n <= 64; n++) {
      const b = jumpHash(0xdeadbeefcafef00dn, n);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(n);
      expect(jumpHash(0xdeadbeefcafef00dn, n)).toBe(b);
    }
  });
});

describe("shardIndexOf", () => {
  it("given 20,000 buyer ids over 4 shards, then each shard gets a quarter within 5%", () => {
    const counts = [0, 0, 0, 0];
    for (const k of keys) counts[shardIndexOf(k, 4)]!++;
    for (const c of counts) expect(Math.abs(c / keys.length - 0.25)).toBeLessThan(0.05 * 0.25 * 4);
  });

  it("given one more shard, then only about 1/(N+1) of the keys move, and all of them to the new shard", () => {
    for (const n of [1, 3, 4, 7]) {
      let moved = 0;
      for (const k of keys) {
        const before = shardIndexOf(k, n);
        const after = shardIndexOf(k, n + 1);
        if (after !== before) {
          moved++;
          expect(after).toBe(n);
        }
      }
      expect(Math.abs(moved / keys.length - 1 / (n + 1))).toBeLessThan(0.02);
    }
  });

  it("given the same key in another isolate or a later deploy, then it names the same shard (the choice is the data's address)", () => {
    // Pinned: a change to the hash would send buyers to shards where their rows are not.
    const ids = ["usr_a", "usr_b", "usr_c", "usr_d", "usr_e", "usr_f", "usr_g", "usr_h"];
    expect(ids.map((k) => shardIndexOf(k, 4))).toEqual([2, 3, 1, 1, 2, 2, 0, 1]);
    expect(ids.map((k) => shardIndexOf(k, 16))).toEqual([2, 14, 5, 8, 2, 11, 13, 5]);
    expect(shardIndexOf("anything", 1)).toBe(0);
  });
});

describe("shard configuration", () => {
  it("given no D1_SHARDS, then there is one shard, the global database", () => {
    expect(shardCount(fakeEnv({}))).toBe(1);
    expect(shardBindings(fakeEnv({ DB: env.DB }))).toEqual([env.DB]);
  });

  it.each(["0", "-1", "1.5", "many", "65"])("given D1_SHARDS=%s, then it refuses to guess", (value) => {
    expect(() => shardCount(fakeEnv({ D1_SHARDS: value }))).toThrow(ShardConfigError);
  });

  it("given D1_SHARDS=3 with DB_SHARD_2 missing, then it names the missing binding", () => {
    const config = fakeEnv({ D1_SHARDS: "3", DB: env.DB, DB_SHARD_1: env.DB });
    expect(() => shardBindings(config)).toThrow(/DB_SHARD_2/);
  });

  it("names shard 0 DB and the others DB_SHARD_<i>", () => {
    expect([0, 1, 3].map(shardBindingName)).toEqual(["DB", "DB_SHARD_1", "DB_SHARD_3"]);
  });
});
