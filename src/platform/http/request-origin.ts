import type { Context } from "hono";
import type { Causation } from "../events/envelope";
import { causedByRequest } from "../events/new-event";
import type { RequestRecord } from "../events/outbox";
import { formatTraceparent } from "../observability/traceparent";
import type { AppEnv } from "./app-env";

/**
 * Where a handler's facts come from: the causation that starts their chain at this request (its id is
 * their correlation id, its trace their traceparent), and the request record written beside them in
 * the outbox batch, so /ops/traces always has the root.
 *
 * @example
 * const { causation, record } = requestOrigin(c, userId);
 * const placed = newEvent("order.placed", id, details, causation, "/crossdock/api", now);
 * await db.batch([insertOrder, ...outboxStatements(db, [placed], record, now)]);
 */
export function requestOrigin(
  c: Context<AppEnv>,
  userId: string | null,
): { causation: Causation; record: RequestRecord } {
  const requestId = c.get("requestId");
  const trace = c.get("trace");
  return {
    causation: causedByRequest({ requestId, traceparent: formatTraceparent(trace) }),
    record: { requestId, method: c.req.method, path: c.req.path, userId, traceId: trace.traceId },
  };
}
