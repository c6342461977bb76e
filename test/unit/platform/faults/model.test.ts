import { describe, expect, it } from "vitest";
import {
  consumerFaults,
  endedAt,
  faultCopy,
  faultState,
  isFaultCopy,
  isPoisoned,
  listed,
  type OutageFault,
  outageStrikes,
  providerOutage,
  type StoredFault,
} from "../../../../src/platform/faults/model";
import { newId } from "../../../../src/platform/ids";

const T = Date.UTC(2026, 0, 1);
const MIN = 60_000;

const fault = (spec: Partial<StoredFault> & Pick<StoredFault, "kind">, at = T, minutes = 10): StoredFault =>
  ({
    id: newId("flt", at),
    consumer: "email",
    createdAt: at,
    expiresAt: at + minutes * MIN,
    clearedAt: null,
    injected: 0,
    ...spec,
  }) as StoredFault;

describe("a fault's state", () => {
  it("is active until it expires or is cleared, and ends when either happens", () => {
    const f = fault({ kind: "pause" });
    expect([faultState(f, T), endedAt(f, T)]).toEqual(["active", null]);
    expect([faultState(f, T + 10 * MIN), endedAt(f, T + 10 * MIN)]).toEqual(["expired", T + 10 * MIN]);
    const cleared = { ...f, clearedAt: T + MIN };
    expect([faultState(cleared, T + 2 * MIN), endedAt(cleared, T + 2 * MIN)]).toEqual(["cleared", T + MIN]);
  });

  it("is listed active first (newest first), then ended within a day, most recently ended first", () => {
    const old = fault({ kind: "pause" }, T - 2 * 24 * 60 * MIN);
    const expired = fault({ kind: "latency", latencyMs: 5 }, T - 30 * MIN);
    const cleared = { ...fault({ kind: "duplicate" }, T - 60 * MIN, 120), clearedAt: T - 10 * MIN };
    const a = fault({ kind: "pause" }, T - 5 * MIN);
    const b = fault({ kind: "pause" }, T - MIN);
    expect(listed([old, expired, cleared, a, b], T).map((f) => f.id)).toEqual([
      b.id,
      a.id,
      cleared.id,
      expired.id,
    ]);
  });
});

describe("which faults strike", () => {
  it("gives a consumer the newest active fault of each kind, and none of another consumer's", () => {
    const older = fault({ kind: "failure-rate", rate: 0.1 }, T - 2 * MIN);
    const newer = fault({ kind: "failure-rate", rate: 0.9 }, T - MIN);
    const latency = fault({ kind: "latency", latencyMs: 50 });
    const elsewhere = fault({ kind: "pause", consumer: "user-stats" });
    const ended = fault({ kind: "duplicate" }, T - 20 * MIN);
    const outage = fault({ kind: "provider-outage", provider: "email", mode: "fail" } as StoredFault);
    expect(consumerFaults([older, newer, latency, elsewhere, ended, outage], "email", T)).toEqual({
      "failure-rate": newer,
      latency,
    });
    expect(providerOutage([older, outage], "email", T)).toEqual(outage);
    expect(providerOutage([outage], "payments", T)).toBeNull();
  });

  it("strikes an outage's calls under its rate: every call without one, a draw below it with one", () => {
    const outage = fault({ kind: "provider-outage", provider: "payments", mode: "fail" }) as OutageFault;
    expect([0, 0.5, 0.999].map((draw) => outageStrikes(outage, draw))).toEqual([true, true, true]);
    const partial = { ...outage, rate: 0.05 };
    expect([0, 0.049, 0.05, 0.5].map((draw) => outageStrikes(partial, draw))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("poisons by a hash of the event id: the same answer every time, about `rate` of all events", () => {
    const ids = Array.from({ length: 10_000 }, () => newId("evt"));
    const picked = ids.filter((id) => isPoisoned(id, 0.3));
    expect(picked.length / ids.length).toBeGreaterThan(0.27);
    expect(picked.length / ids.length).toBeLessThan(0.33);
    expect(ids.filter((id) => isPoisoned(id, 0.3))).toEqual(picked);
    expect(ids.some((id) => isPoisoned(id, 0))).toBe(false);
    expect(ids.every((id) => isPoisoned(id, 1))).toBe(true);
  });

  it("marks a duplicate's copy so it is recognised and never copied again", () => {
    const body = { id: "evt_1", type: "user.registered" };
    const copy = faultCopy(body, "flt_1");
    expect(copy).toEqual({ ...body, crossdockfaultcopy: "flt_1" });
    expect([isFaultCopy(body), isFaultCopy(copy), isFaultCopy("text")]).toEqual([false, true, false]);
  });
});
