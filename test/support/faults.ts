import { expect } from "vitest";
import { forgetActiveFaults } from "../../src/platform/faults/client";
import { call, postJson } from "./http";
import type { TestUser } from "./users";

/** A fault as GET /ops/faults shows it. */
export interface FaultView {
  id: string;
  kind: string;
  consumer?: string;
  provider?: string;
  rate?: number;
  latencyMs?: number;
  mode?: string;
  createdAt: string;
  expiresAt: string;
  endedAt: string | null;
  state: "active" | "expired" | "cleared";
  injected: number;
}

/**
 * Sets a fault through POST /ops/faults (an hour unless the body says otherwise) and drops this
 * isolate's cached copy of the active faults, so what the test runs next sees it at once.
 *
 * @example
 * const fault = await injectFault(admin, { kind: "pause", consumer: "user-stats" });
 */
export async function injectFault(admin: TestUser, body: Record<string, unknown>): Promise<FaultView> {
  const res = await postJson("/ops/faults", { expiresInSeconds: 3600, ...body }, admin.auth);
  expect(res.status, await res.clone().text()).toBe(201);
  forgetActiveFaults();
  return res.json();
}

/** DELETE /ops/faults (one fault when `id` is given), then as `injectFault`. */
export async function clearFaults(admin: TestUser, id?: string) {
  const res = await call(id === undefined ? "/ops/faults" : `/ops/faults/${id}`, {
    method: "DELETE",
    headers: admin.auth,
  });
  expect(res.status).toBe(204);
  forgetActiveFaults();
}

/** GET /ops/faults. */
export async function listFaults(admin: TestUser) {
  const res = await call("/ops/faults", { headers: admin.auth });
  expect(res.status).toBe(200);
  return res.json<{ enabled: boolean; faults: FaultView[] }>();
}

/** One fault as listed now (its state and `injected` count). */
export async function faultNow(admin: TestUser, id: string): Promise<FaultView> {
  const fault = (await listFaults(admin)).faults.find((f) => f.id === id);
  if (!fault) throw new Error(`fault ${id} is not listed`);
  return fault;
}
