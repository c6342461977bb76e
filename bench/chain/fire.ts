/**
 * N buyers placing one order each, all at once: every request is sent before any answer is awaited, so
 * N requests are in flight together (an open burst, not a closed loop of a few connections).
 */
import type { Account } from "./seed";

export interface Placement {
  orderId: string | null;
  /** HTTP status; 0 when no answer came (a socket error or the client's timeout). */
  status: number;
  latencyMs: number;
  startedAt: number;
  timedOut: boolean;
  error: string | null;
}

export async function placeAtOnce(
  url: URL,
  path: "/v1/orders" | "/chain/orders",
  buyers: readonly Account[],
  quoteIds: readonly string[],
  paymentMethod: string,
  clientTimeoutMs: number,
): Promise<Placement[]> {
  return Promise.all(
    buyers.map(async (buyer, i): Promise<Placement> => {
      const startedAt = Date.now();
      const t0 = performance.now();
      try {
        const res = await fetch(new URL(path, url), {
          method: "POST",
          signal: AbortSignal.timeout(clientTimeoutMs),
          headers: {
            authorization: `Bearer ${buyer.token}`,
            "content-type": "application/json",
            "idempotency-key": crypto.randomUUID(),
          },
          body: JSON.stringify({ quoteId: quoteIds[i], paymentMethod }),
        });
        const body = (await res.json().catch(() => ({}))) as {
          id?: string;
          orderId?: string;
          detail?: string;
        };
        const ok = res.status === 201 || res.status === 202;
        return {
          orderId: body.id ?? body.orderId ?? null,
          status: res.status,
          latencyMs: performance.now() - t0,
          startedAt,
          timedOut: false,
          error: ok ? null : `${res.status} ${body.detail ?? ""}`.slice(0, 200),
        };
      } catch (err) {
        const timedOut = (err as Error).name === "TimeoutError";
        return {
          orderId: null,
          status: 0,
          latencyMs: performance.now() - t0,
          startedAt,
          timedOut,
          error: timedOut ? "client timeout" : (err as Error).message,
        };
      }
    }),
  );
}
