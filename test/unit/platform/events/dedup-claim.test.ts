import { describe, expect, it } from "vitest";
import {
  type ClaimRequest,
  completeRecord,
  type DedupRecord,
  decideClaim,
  renewLease,
} from "../../../../src/platform/events/dedup-claim";

const NOW = 1_000_000;
const request = (over: Partial<ClaimRequest> = {}): ClaimRequest => ({
  key: "email:evt_1",
  fingerprint: null,
  now: NOW,
  leaseMs: 30_000,
  ttlMs: 3_600_000,
  ...over,
});
const record = (over: Partial<DedupRecord> = {}): DedupRecord => ({
  key: "email:evt_1",
  state: "in-flight",
  fingerprint: null,
  leaseUntil: NOW + 10_000,
  expiresAt: NOW + 3_600_000,
  result: null,
  ...over,
});

describe("decideClaim", () => {
  it("given no record, when claimed, then it is claimed with a lease and a ttl", () => {
    expect(decideClaim(null, request())).toEqual({
      outcome: "claimed",
      reclaimed: false,
      record: record({ leaseUntil: NOW + 30_000, expiresAt: NOW + 3_600_000 }),
    });
  });

  it("given a live lease, when claimed again, then it is in flight, with the time left on the lease", () => {
    expect(decideClaim(record({ leaseUntil: NOW + 12_000 }), request())).toEqual({
      outcome: "in-flight",
      retryAfterMs: 12_000,
    });
  });

  it("given a lease that ran out (its holder died mid-effect), when claimed, then it is reclaimed and says so", () => {
    const decision = decideClaim(record({ leaseUntil: NOW - 1 }), request());
    expect(decision).toMatchObject({
      outcome: "claimed",
      reclaimed: true,
      record: { leaseUntil: NOW + 30_000 },
    });
  });

  it("given a lease ending exactly now, when claimed, then it is reclaimed", () => {
    expect(decideClaim(record({ leaseUntil: NOW }), request())).toMatchObject({
      outcome: "claimed",
      reclaimed: true,
    });
  });

  it("given a done key, when claimed, then it is done and replays the stored result", () => {
    expect(decideClaim(record({ state: "done", result: '{"status":201}' }), request())).toEqual({
      outcome: "done",
      result: '{"status":201}',
    });
  });

  it("given a key that expired, when claimed, then it is claimed fresh, not reclaimed", () => {
    const expired = record({ state: "done", expiresAt: NOW });
    expect(decideClaim(expired, request())).toMatchObject({ outcome: "claimed", reclaimed: false });
  });

  it("given a different fingerprint under the same key, when claimed, then it is a mismatch", () => {
    expect(decideClaim(record({ fingerprint: "sha-a" }), request({ fingerprint: "sha-b" }))).toEqual({
      outcome: "mismatch",
    });
  });

  it("given the same fingerprint, when claimed, then the state decides as usual", () => {
    const done = record({ state: "done", fingerprint: "sha-a" });
    expect(decideClaim(done, request({ fingerprint: "sha-a" }))).toMatchObject({ outcome: "done" });
  });

  it("given a claimed record, when completed, then it is done and kept for the ttl from completion", () => {
    const completed = completeRecord(record(), "ok", NOW + 5_000, 60_000);
    expect(completed).toMatchObject({
      state: "done",
      result: "ok",
      leaseUntil: NOW + 5_000,
      expiresAt: NOW + 65_000,
    });
    expect(decideClaim(completed, request({ now: NOW + 6_000 }))).toEqual({ outcome: "done", result: "ok" });
  });
});

describe("renewLease", () => {
  const held = record({ leaseUntil: NOW + 10_000 });

  it("given a live holder, when it renews, then its lease runs leaseMs from now and a claim waits for it", () => {
    const renewed = renewLease(held, NOW + 10_000, NOW + 8_000, 10_000);
    expect(renewed).toEqual({ ...held, leaseUntil: NOW + 18_000 });
    expect(decideClaim(renewed, request({ now: NOW + 12_000 }))).toEqual({
      outcome: "in-flight",
      retryAfterMs: 6_000,
    });
  });

  it("given a holder late to renew whose key nobody claimed, when it renews, then it still holds the key", () => {
    expect(renewLease(held, NOW + 10_000, NOW + 15_000, 10_000)).toMatchObject({ leaseUntil: NOW + 25_000 });
  });

  it("given a renewal that would end sooner, when it renews, then the lease is never shortened", () => {
    expect(renewLease(held, NOW + 10_000, NOW, 1_000)).toMatchObject({ leaseUntil: NOW + 10_000 });
  });

  it("given a key taken over, completed or released, when the old holder renews, then it is told it lost it", () => {
    const takenOver = record({ leaseUntil: NOW + 20_000 });
    expect(renewLease(takenOver, NOW + 10_000, NOW + 11_000, 10_000)).toBeNull();
    expect(renewLease(record({ state: "done" }), NOW + 10_000, NOW + 1, 10_000)).toBeNull();
    expect(renewLease(null, NOW + 10_000, NOW + 1, 10_000)).toBeNull();
  });
});
