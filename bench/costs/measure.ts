/** Reading crossdock's own cost counters (GET /ops/costs) around one workload, and the facts it wrote. */
import { setTimeout as sleep } from "node:timers/promises";
import { addUsage, emptyUsage, USAGE_FIELDS, type Usage } from "../../src/platform/costs/model";
import { queryDb } from "../lib/query-db";

/** Flows left out of a workload's bill: the bench's own polling (ops), and the payment provider's stand-in. */
export const EXCLUDED_FLOWS = {
  ops: "the bench's own /ops/costs polls",
  "payment-sandbox": "the payment provider's local stand-in",
} as const;

export interface Snapshot {
  flows: Record<string, Usage>;
  outboxBacklog: number;
}

/** The counters of a `GET /ops/costs` answer. */
export function snapshotOf(body: {
  flows: { name: string; usage: Usage }[];
  backlog: { queue: string; messages: number }[];
}): Snapshot {
  return {
    flows: Object.fromEntries(body.flows.map((f) => [f.name, f.usage])),
    outboxBacklog: body.backlog.find((b) => b.queue === "outbox")?.messages ?? 0,
  };
}

export async function snapshot(url: URL, adminToken: string): Promise<Snapshot> {
  const res = await fetch(new URL("/ops/costs", url), { headers: { authorization: `Bearer ${adminToken}` } });
  if (!res.ok) throw new Error(`/ops/costs answered ${res.status}: ${await res.text()}`);
  return snapshotOf(await res.json());
}

/** `after - before` per flow (flows absent before count from zero). */
export function diffFlows(before: Snapshot, after: Snapshot): Record<string, Usage> {
  const out: Record<string, Usage> = {};
  for (const [flow, a] of Object.entries(after.flows)) {
    const b = before.flows[flow] ?? emptyUsage();
    const d = emptyUsage();
    for (const f of USAGE_FIELDS) d[f] = a[f] - b[f];
    if (USAGE_FIELDS.some((f) => d[f] !== 0)) out[flow] = d;
  }
  return out;
}

/** The usage of every flow but the excluded ones, summed. */
export const billed = (flows: Record<string, Usage>) =>
  Object.entries(flows)
    .filter(([flow]) => !(flow in EXCLUDED_FLOWS))
    .reduce((sum, [, u]) => addUsage(sum, u), emptyUsage());

const same = (a: Usage, b: Usage) => USAGE_FIELDS.every((f) => a[f] === b[f]);

/**
 * Polls until the work is done: nothing left unrelayed in the outbox and no counter (the bench's own
 * polls aside) moving for `quietMs`. Throws after `timeoutMs`.
 */
export async function untilQuiet(
  url: URL,
  adminToken: string,
  start: Snapshot,
  { quietMs = 2_500, timeoutMs = 180_000 } = {},
) {
  const deadline = Date.now() + timeoutMs;
  let last = billed(diffFlows(start, await snapshot(url, adminToken)));
  let stableSince = Date.now();
  for (;;) {
    await sleep(500);
    const now = await snapshot(url, adminToken);
    const current = billed(diffFlows(start, now));
    if (!same(current, last)) {
      last = current;
      stableSince = Date.now();
    } else if (now.outboxBacklog === 0 && Date.now() - stableSince >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) throw new Error("the workload did not settle in time");
  }
}

export interface FactRow {
  type: string;
  bytes: number;
}

/** The facts committed since `since` (ms), through the runtime's query worker. */
export async function factsSince(queryUrl: URL, since: number): Promise<FactRow[]> {
  const { results } = await queryDb(queryUrl, { timeoutMs: 30_000 })
    .prepare("SELECT type, length(envelope) AS bytes FROM outbox WHERE created_at >= ?")
    .bind(since)
    .all<FactRow>();
  return results;
}
