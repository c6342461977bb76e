import { sandboxLedger } from "../../src/providers/payments/sandbox-shards";

/**
 * What the payment sandbox holds, per order: its authorizations by status and its captures. From every
 * shard at once, so only after a run, never under load.
 */
export async function ledgerSummary(env: Env): Promise<Response> {
  const { authorizations, captures } = await sandboxLedger(env.PAYMENT_SANDBOX);
  const orderOf = new Map(authorizations.map((a) => [a.id, a.orderId]));
  const byOrder: Record<string, { authorizations: Record<string, number>; captures: number }> = {};
  const entry = (orderId: string) => {
    byOrder[orderId] ??= { authorizations: {}, captures: 0 };
    return byOrder[orderId];
  };
  for (const a of authorizations) {
    const e = entry(a.orderId);
    e.authorizations[a.status] = (e.authorizations[a.status] ?? 0) + 1;
  }
  for (const c of captures) entry(orderOf.get(c.authorizationId) ?? "unknown").captures++;
  return Response.json({ byOrder });
}
