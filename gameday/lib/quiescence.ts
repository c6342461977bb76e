/**
 * When a game day is over: the runtime is left alone (no /ops call that moves work) until nothing
 * changes any more, read from its state files. And how long each restart took to recover.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Fault, History } from "./history";
import type { StateReader } from "./state";

export const TERMINAL = ["confirmed", "cancelled", "refunded"] as const;
const TERMINAL_SQL = TERMINAL.map((s) => `'${s}'`).join(", ");

/**
 * Deliveries the ledger still owes and will re-send on its own (past their grace period, not yet
 * acknowledged, not dead-lettered): while one is outstanding the runtime is not at rest, however long
 * nothing visibly changes — its next re-send may be a minute away.
 */
const OWED_SQL = `SELECT count(*) AS n FROM deliveries d WHERE d.state <> 'dead-lettered'
  AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = d.consumer AND p.event_id = d.event_id)`;

/** Everything that moves when background work happens; equal snapshots mean nothing moved. */
function fingerprint(state: StateReader): { key: string; nonTerminalOrders: number; owedDeliveries: number } {
  const q = (sql: string) => JSON.stringify(state.d1(sql));
  const nonTerminal = state.d1<{ n: number }>(
    `SELECT count(*) AS n FROM orders WHERE status NOT IN (${TERMINAL_SQL})`,
  );
  const owed = state.d1<{ n: number }>(OWED_SQL)[0]?.n ?? 0;
  const key = [
    q("SELECT status, count(*) AS n, max(updated_at) AS t FROM orders GROUP BY status"),
    q("SELECT status, count(*) AS n, max(updated_at) AS t FROM order_views GROUP BY status"),
    q("SELECT count(*) AS n FROM mailbox"),
    q("SELECT count(*) AS n FROM settlement_entries"),
    q("SELECT count(*) AS n FROM analytics_event_ids"),
    q("SELECT status, count(*) AS n, max(version) AS v FROM jobs GROUP BY status"),
    q("SELECT count(*) AS n FROM outbox WHERE published_at IS NULL"),
    q("SELECT count(*) AS n FROM dead_letters"),
    q("SELECT count(*) AS n FROM products"),
    q("SELECT count(*) AS n, max(resends) AS r, max(checked_at) AS c FROM deliveries"),
  ].join("|");
  return { key, nonTerminalOrders: nonTerminal[0]?.n ?? 0, owedDeliveries: owed };
}

export interface QuiescenceOptions {
  /** Unchanged this long with every order terminal and no delivery owed: quiescent. */
  settleMs: number;
  /** Unchanged this long with orders open or deliveries owed: stalled (they will not finish on their own). */
  stallMs: number;
  timeoutMs: number;
  pollMs: number;
}

export interface Quiescence {
  verdict: "quiescent" | "stalled" | "timeout";
  /** From the end of the load to the last observed change. */
  lastChangeAfterMs: number;
  waitedMs: number;
  nonTerminalOrders: number;
  /** Deliveries the ledger still owed when the wait ended (see OWED_SQL). */
  owedDeliveries: number;
}

export async function waitForQuiescence(
  state: StateReader,
  o: QuiescenceOptions,
  log: (m: string) => void,
): Promise<Quiescence> {
  const t0 = Date.now();
  let last = fingerprint(state);
  let changedAt = t0;
  while (true) {
    await sleep(o.pollMs);
    const now = Date.now();
    const current = fingerprint(state);
    if (current.key !== last.key) {
      changedAt = now;
      last = current;
      log(
        `still moving: ${current.nonTerminalOrders} orders not terminal, ${current.owedDeliveries} deliveries owed`,
      );
    }
    const quiet = now - changedAt;
    const verdict =
      current.nonTerminalOrders === 0 && current.owedDeliveries === 0 && quiet >= o.settleMs
        ? "quiescent"
        : quiet >= o.stallMs
          ? "stalled"
          : now - t0 >= o.timeoutMs
            ? "timeout"
            : null;
    if (verdict)
      return {
        verdict,
        lastChangeAfterMs: changedAt - t0,
        waitedMs: now - t0,
        nonTerminalOrders: current.nonTerminalOrders,
        owedDeliveries: current.owedDeliveries,
      };
  }
}

export interface Recovery {
  kill: number;
  /** Kill → first 200 from GET /health on the restarted runtime. */
  downtimeMs: number;
  /** Orders whose POST /v1/orders was sent before the kill and that were not in their final state at it. */
  inFlight: number;
  /** Of those, how many reached a terminal status after the restart. */
  recovered: number;
  /** Healthy → the first order (of any) reaching its final state after it; null when none did. */
  firstProgressMs: number | null;
  /** Healthy → the last in-flight order reaching its terminal status; null unless all of them did. */
  drainMs: number | null;
}

/**
 * Per restart, from the orders' final rows: an order's `updated_at` is the time of its last change,
 * which for a terminal order is when it became terminal (same machine clock as the harness).
 */
export function recoveryTimes(history: History, state: StateReader): Recovery[] {
  const rows = state.d1<{ quote_id: string; status: string; updated_at: number }>(
    "SELECT quote_id, status, updated_at FROM orders",
  );
  const byQuote = new Map(rows.map((r) => [r.quote_id, r]));
  const terminal = new Set<string>(TERMINAL);
  return history.faults.map((f: Fault) => {
    const inFlight = history
      .of("order")
      .filter((op) => op.quoteId !== null && op.orderSentAt !== null && op.orderSentAt < f.killedAt)
      .map((op) => byQuote.get(op.quoteId!))
      .filter((row) => row !== undefined)
      .filter((row) => !terminal.has(row.status) || row.updated_at > f.killedAt);
    const done = inFlight.filter((row) => terminal.has(row.status));
    const after = rows.map((r) => r.updated_at).filter((t) => t >= f.healthyAt);
    return {
      kill: f.kill,
      downtimeMs: f.healthyAt - f.killedAt,
      inFlight: inFlight.length,
      recovered: done.length,
      firstProgressMs: after.length > 0 ? Math.min(...after) - f.healthyAt : null,
      drainMs:
        done.length === inFlight.length && done.length > 0
          ? Math.max(0, Math.max(...done.map((r) => r.updated_at)) - f.healthyAt)
          : null,
    };
  });
}
