import type { LedgerLine } from "../../src/flows/settlements/ledger";

/** Debits minus credits per account: what the ledger properties are checked against. */
export function balances(lines: readonly LedgerLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) out.set(l.account, (out.get(l.account) ?? 0) + l.debitMinor - l.creditMinor);
  return out;
}
