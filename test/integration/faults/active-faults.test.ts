import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import {
  activeFaults,
  FAULT_CACHE_MS,
  type FaultsEnv,
  faultStore,
  forgetActiveFaults,
} from "../../../src/platform/faults/client";
import type { StoredFault } from "../../../src/platform/faults/model";
import { newId } from "../../../src/platform/ids";

/**
 * The real FaultStore behind a spy that counts `active` reads and can hold them open, so a test sees
 * how many reads reach the store while others wait.
 */
function spiedStore() {
  const reads: number[] = [];
  let gate: Promise<void> | null = null;
  let open = () => {};
  let failNext = false;
  const store = faultStore(env);
  const stub = {
    async active(now: number) {
      reads.push(now);
      if (gate) await gate;
      if (failNext) {
        failNext = false;
        throw new Error("store unavailable");
      }
      return store.active(now);
    },
  };
  const spied: FaultsEnv = {
    FAULTS_ENABLED: "true",
    FAULTS: {
      idFromName: (n: string) => env.FAULTS.idFromName(n),
      get: () => stub,
    } as unknown as Env["FAULTS"],
  };
  return {
    env: spied,
    reads,
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = null;
      open();
    },
    failNextRead() {
      failNext = true;
    },
  };
}

const T0 = 1_800_000_000_000;

async function aFault(now: number, consumer: string): Promise<StoredFault> {
  return faultStore(env).set(
    {
      id: newId("flt"),
      kind: "pause",
      consumer,
      createdAt: now,
      expiresAt: now + 3_600_000,
      clearedAt: null,
      injected: 0,
    },
    now,
  );
}

beforeEach(async () => {
  forgetActiveFaults();
  await faultStore(env).clearAll(Date.now() + 10 * 3_600_000);
});

describe("activeFaults: one store read per isolate at a time", () => {
  it("reads the store once, then answers from its copy until FAULT_CACHE_MS has passed", async () => {
    const s = spiedStore();
    const fault = await aFault(T0, "user-stats");
    expect((await activeFaults(s.env, T0)).map((f) => f.id)).toEqual([fault.id]);
    await activeFaults(s.env, T0 + FAULT_CACHE_MS - 1);
    expect(s.reads).toEqual([T0]);
    await activeFaults(s.env, T0 + FAULT_CACHE_MS);
    expect(s.reads).toEqual([T0, T0 + FAULT_CACHE_MS]);
  });

  it("when the copy runs out, a hundred callers at once make one read; the others keep the old copy meanwhile", async () => {
    const s = spiedStore();
    const first = await aFault(T0, "user-stats");
    await activeFaults(s.env, T0);
    const second = await aFault(T0 + 1, "email");
    const later = T0 + FAULT_CACHE_MS + 5;

    s.hold();
    const reader = activeFaults(s.env, later);
    const others = await Promise.all(Array.from({ length: 100 }, () => activeFaults(s.env, later)));
    expect(s.reads).toEqual([T0, later]);
    for (const answer of others) expect(answer.map((f) => f.id)).toEqual([first.id]);

    s.release();
    expect((await reader).map((f) => f.id).sort()).toEqual([first.id, second.id].sort());
    // The read landed: everyone now gets the new copy, still without another read.
    expect((await activeFaults(s.env, later + 1)).map((f) => f.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect(s.reads).toHaveLength(2);
  });

  it("a read that never lands frees its slot after FAULT_CACHE_MS, so the copy cannot stay old for good", async () => {
    const s = spiedStore();
    await activeFaults(s.env, T0);
    s.hold();
    const stuck = activeFaults(s.env, T0 + FAULT_CACHE_MS);
    await activeFaults(s.env, T0 + 2 * FAULT_CACHE_MS - 1);
    expect(s.reads).toHaveLength(2);
    const next = activeFaults(s.env, T0 + 2 * FAULT_CACHE_MS);
    expect(s.reads).toHaveLength(3);
    s.release();
    await Promise.all([stuck, next]);
  });

  it("a failed read is the reader's error and is not kept: the next caller reads again", async () => {
    const s = spiedStore();
    await activeFaults(s.env, T0);
    s.failNextRead();
    await expect(activeFaults(s.env, T0 + FAULT_CACHE_MS)).rejects.toThrow("store unavailable");
    await activeFaults(s.env, T0 + FAULT_CACHE_MS + 1);
    expect(s.reads).toHaveLength(3);
  });

  it("forgetActiveFaults (a fault just changed) makes the next caller read, and a read already in flight is not kept", async () => {
    const s = spiedStore();
    await activeFaults(s.env, T0);
    s.hold();
    const before = activeFaults(s.env, T0 + FAULT_CACHE_MS);
    forgetActiveFaults();
    const fault = await aFault(T0 + FAULT_CACHE_MS, "email");
    s.release();
    await before;
    const after = await activeFaults(s.env, T0 + FAULT_CACHE_MS + 1);
    expect(after.map((f) => f.id)).toContain(fault.id);
    expect(s.reads).toHaveLength(3);
  });

  it("with fault injection off, answers [] and never reads the store", async () => {
    const s = spiedStore();
    await aFault(T0, "user-stats");
    expect(await activeFaults({ ...s.env, FAULTS_ENABLED: "false" }, T0)).toEqual([]);
    expect(s.reads).toEqual([]);
  });
});
