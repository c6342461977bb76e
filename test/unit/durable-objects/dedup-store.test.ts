import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DedupStore } from "../../../src/durable-objects/dedup-store";

const freshStub = () => env.DEDUP_STORE.get(env.DEDUP_STORE.newUniqueId());
const claim = (
  key: string,
  now: number,
  over: { leaseMs?: number; ttlMs?: number; fingerprint?: string } = {},
) => ({
  key,
  fingerprint: over.fingerprint ?? null,
  now,
  leaseMs: over.leaseMs ?? 30_000,
  ttlMs: over.ttlMs ?? 3_600_000,
});
const keysIn = (stub: DurableObjectStub<DedupStore>) =>
  runInDurableObject(stub, (_o: DedupStore, state) =>
    state.storage.sql
      .exec<{ key: string; state: string }>("SELECT key, state FROM dedup_keys ORDER BY key")
      .toArray(),
  );

describe("DedupStore", () => {
  it("claims a key once: a second claim while the lease runs is told it is in flight", async () => {
    const stub = freshStub();
    const now = Date.now();
    expect(await stub.claim(claim("k", now))).toMatchObject({ outcome: "claimed", reclaimed: false });
    expect(await stub.claim(claim("k", now + 1_000))).toEqual({ outcome: "in-flight", retryAfterMs: 29_000 });
  });

  it("after complete, every later claim is done and replays the result", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.claim(claim("k", now));
    await stub.complete("k", "sent", now + 10, 3_600_000);
    expect(await stub.claim(claim("k", now + 20))).toEqual({ outcome: "done", result: "sent" });
    expect(await keysIn(stub)).toEqual([{ key: "k", state: "done" }]);
  });

  it("after release, the key can be claimed again at once (the effect did not happen)", async () => {
    const stub = freshStub();
    const now = Date.now();
    const held = await stub.claim(claim("k", now));
    if (held.outcome !== "claimed") throw new Error("expected a claim");
    await stub.release("k", held.record.leaseUntil);
    expect(await stub.claim(claim("k", now + 1))).toMatchObject({ outcome: "claimed", reclaimed: false });
  });

  it("a holder whose lease was taken over cannot release the new holder's lease", async () => {
    const stub = freshStub();
    const now = Date.now();
    const stale = await stub.claim(claim("k", now, { leaseMs: 1_000 }));
    if (stale.outcome !== "claimed") throw new Error("expected a claim");
    expect(await stub.claim(claim("k", now + 1_001))).toMatchObject({ outcome: "claimed", reclaimed: true });
    await stub.release("k", stale.record.leaseUntil);
    expect(await stub.claim(claim("k", now + 1_002))).toMatchObject({ outcome: "in-flight" });
  });

  it("release never forgets a done key", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.claim(claim("k", now));
    await stub.complete("k", null, now, 3_600_000);
    await stub.release("k", now + 30_000);
    expect(await stub.claim(claim("k", now + 1))).toMatchObject({ outcome: "done" });
  });

  it("a lease that ran out is reclaimed, and the claimant is told", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.claim(claim("k", now, { leaseMs: 1_000 }));
    expect(await stub.claim(claim("k", now + 1_001))).toMatchObject({ outcome: "claimed", reclaimed: true });
  });

  it("a renewed lease keeps the key in flight past its first end; a taken-over holder cannot renew", async () => {
    const stub = freshStub();
    const now = Date.now();
    const held = await stub.claim(claim("k", now, { leaseMs: 10_000 }));
    if (held.outcome !== "claimed") throw new Error("expected a claim");
    const renewed = await stub.renew("k", held.record.leaseUntil, now + 9_000, 10_000);
    expect(renewed).toBe(now + 19_000);
    expect(await stub.claim(claim("k", now + 12_000))).toEqual({ outcome: "in-flight", retryAfterMs: 7_000 });
    // The renewed lease is the holder's fencing token from now on: the claim's is stale.
    expect(await stub.renew("k", held.record.leaseUntil, now + 12_000, 10_000)).toBeNull();

    expect(await stub.claim(claim("k", now + 19_001))).toMatchObject({ outcome: "claimed", reclaimed: true });
    expect(await stub.renew("k", renewed!, now + 19_002, 10_000)).toBeNull();
    await stub.release("k", renewed!);
    expect(await stub.claim(claim("k", now + 19_003))).toMatchObject({ outcome: "in-flight" });
  });

  it("refuses the same key with another fingerprint", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.claim(claim("k", now, { fingerprint: "a" }));
    expect(await stub.claim(claim("k", now + 1, { fingerprint: "b" }))).toEqual({ outcome: "mismatch" });
  });

  it("sets a prune alarm on the first claim; the alarm deletes expired keys and keeps live ones", async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.claim(claim("expired", now - 10_000, { ttlMs: 1_000 }));
    await stub.claim(claim("live", now));
    expect(
      await runInDurableObject(stub, (_o: DedupStore, state) => state.storage.getAlarm()),
    ).not.toBeNull();

    expect(await runDurableObjectAlarm(stub)).toBe(true);

    expect(await keysIn(stub)).toEqual([{ key: "live", state: "in-flight" }]);
    // Keys remain, so it re-armed itself for the next prune.
    expect(
      await runInDurableObject(stub, (_o: DedupStore, state) => state.storage.getAlarm()),
    ).not.toBeNull();
  });

  it("does not re-arm once nothing is left to prune", async () => {
    const stub = freshStub();
    await stub.claim(claim("expired", Date.now() - 10_000, { ttlMs: 1_000 }));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await keysIn(stub)).toEqual([]);
    expect(await runInDurableObject(stub, (_o: DedupStore, state) => state.storage.getAlarm())).toBeNull();
  });
});
