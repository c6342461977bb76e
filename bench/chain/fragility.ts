/**
 * What a payment provider failing a share of its calls does to each path: for the chain, requests that
 * failed in the buyer's face; for the saga, orders it retried, compensated or cancelled — from the orders
 * table (each step's attempts) — and, for both, whether the money adds up in the payment sandbox.
 */
import type { Placement } from "./fire";
import { countBy, type OrderRow, type RunResult } from "./runs";

export interface LedgerEntry {
  authorizations: Record<string, number>;
  captures: number;
}

export interface Fragility {
  path: RunResult["path"];
  buyers: number;
  /** Requests answered with anything but 201/202, or not answered. */
  failedRequests: number;
  /** Why they failed: the injected fault, the gateway's own timeout, the client's timeout, or the status. */
  failureCauses: Record<string, number>;
  confirmed: number;
  cancelled: number;
  notTerminal: number;
  /** Orders with a step that needed more than one attempt. */
  retried: number;
  /** Orders confirmed although a step needed a retry: what the saga saved from failing. */
  retriedThenConfirmed: number;
  /** Orders that ran an undo (release, void). */
  compensated: number;
  cancelReasons: Record<string, number>;
  /** Orders with more than one capture: charged twice. */
  chargedTwice: number;
  /** Orders captured but not confirmed: charged for nothing. */
  chargedNotConfirmed: number;
  /** Orders not confirmed whose authorization is still held (neither voided nor captured). */
  heldNotConfirmed: number;
  /** Confirmed orders without exactly one capture. */
  confirmedNotCharged: number;
}

const UNDOS = new Set(["release-inventory", "void-authorization"]);

export async function ledgerByOrder(url: URL): Promise<Record<string, LedgerEntry>> {
  const res = await fetch(new URL("/chain/ledger", url), { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`ledger: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { byOrder: Record<string, LedgerEntry> }).byOrder;
}

function failureCause(p: Placement): string {
  if (p.timedOut) return "client timeout";
  if (p.error?.includes("injected")) return "injected fault";
  if (p.error?.includes("did not answer")) return "provider timeout";
  return `HTTP ${p.status}`;
}

const reasonCode = (row: OrderRow) => {
  try {
    return (JSON.parse(row.cancelReason ?? "null") as { code?: string } | null)?.code ?? "none";
  } catch {
    return "unreadable";
  }
};

export function fragilityOf(run: RunResult, ledger: Record<string, LedgerEntry>): Fragility {
  const rows = run.orders;
  const retried = rows.filter((r) => r.steps.some((s) => s.attempts > 1));
  const cancelled = rows.filter((r) => r.status === "cancelled");
  const confirmed = rows.filter((r) => r.status === "confirmed");
  const captures = (r: OrderRow) => ledger[r.id]?.captures ?? 0;
  return {
    path: run.path,
    buyers: run.buyers,
    failedRequests: run.failed,
    failureCauses: countBy(
      run.placements.filter((p) => p.status !== 201 && p.status !== 202).map(failureCause),
    ),
    confirmed: confirmed.length,
    cancelled: cancelled.length,
    notTerminal: rows.length - confirmed.length - cancelled.length,
    retried: retried.length,
    retriedThenConfirmed: retried.filter((r) => r.status === "confirmed").length,
    // The chain writes no steps: its undos show in the answers (failedUndos) and in the ledger.
    compensated: rows.filter((r) => r.steps.some((s) => UNDOS.has(s.name))).length,
    cancelReasons: countBy(cancelled.map(reasonCode)),
    chargedTwice: rows.filter((r) => captures(r) > 1).length,
    chargedNotConfirmed: rows.filter((r) => r.status !== "confirmed" && captures(r) > 0).length,
    heldNotConfirmed: rows.filter(
      (r) => r.status !== "confirmed" && (ledger[r.id]?.authorizations.authorized ?? 0) > 0,
    ).length,
    confirmedNotCharged: confirmed.filter((r) => captures(r) !== 1).length,
  };
}

/** Consistent: nothing charged twice, nothing charged or held without a confirmed order, every confirmed order charged once. */
export const moneyConsistent = (f: Fragility) =>
  f.chargedTwice === 0 &&
  f.chargedNotConfirmed === 0 &&
  f.heldNotConfirmed === 0 &&
  f.confirmedNotCharged === 0;
