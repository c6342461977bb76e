import type { z } from "zod";
import { MALFORMED_TEXT_MESSAGE, malformedTextPaths } from "../../platform/well-formed-text";
import {
  ANALYTICS_LIMITS,
  type ClientEvent,
  ClientEventSchema,
  isProductEvent,
  type QueuedClientEvent,
} from "./client-event";

/** Why one event of a batch was refused: its index in the request and the field at fault. */
export interface Rejection {
  index: number;
  reason: string;
}

export type EventCheck = { ok: true; event: QueuedClientEvent } | { ok: false; reason: string };

/** `field: message` for the first issue; `event` when the item itself is wrong (not an object). */
function reasonOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "event: invalid";
  if (issue.code === "unrecognized_keys") return `${issue.keys.join(", ")}: unknown field`;
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : "event";
  return `${field}: ${issue.message}`;
}

/** Rules the schema cannot say alone: fields required by type, the time window, the size of properties. */
function ruleViolation(e: ClientEvent, occurredAt: number, now: number): string | null {
  if (isProductEvent(e.type) && e.productId === undefined) return `productId: required for ${e.type}`;
  if (e.type === "search.performed" && (e.query ?? "").trim() === "")
    return "query: required for search.performed";
  if (occurredAt > now + ANALYTICS_LIMITS.maxFutureSkewMs)
    return "occurredAt: more than 5 minutes in the future";
  if (occurredAt < now - ANALYTICS_LIMITS.maxAgeMs) return "occurredAt: older than 7 days";
  if (e.properties) {
    if (Object.keys(e.properties).length > ANALYTICS_LIMITS.maxPropertyKeys)
      return `properties: at most ${ANALYTICS_LIMITS.maxPropertyKeys} keys`;
    if (new TextEncoder().encode(JSON.stringify(e.properties)).length > ANALYTICS_LIMITS.maxPropertiesBytes)
      return `properties: at most ${ANALYTICS_LIMITS.maxPropertiesBytes} bytes as JSON`;
  }
  return null;
}

/**
 * Checks one client event on its own. `newId` is called only for an accepted event without an id of
 * its own (ids and time are injected: this is pure).
 *
 * @example
 * checkClientEvent({ type: "product.viewed", occurredAt, productId }, Date.now(), () => newId("aev"))
 */
export function checkClientEvent(raw: unknown, now: number, newId: () => string): EventCheck {
  const parsed = ClientEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: reasonOf(parsed.error) };
  const e = parsed.data;
  const malformed = malformedTextPaths(e)[0];
  if (malformed !== undefined) return { ok: false, reason: `${malformed}: ${MALFORMED_TEXT_MESSAGE}` };
  // A client that does not stamp its events (a beacon fired as it happens) means "now".
  const occurredAt = e.occurredAt === undefined ? now : Date.parse(e.occurredAt);
  const violation = ruleViolation(e, occurredAt, now);
  if (violation) return { ok: false, reason: violation };
  const event: QueuedClientEvent = {
    id: e.id ?? newId(),
    type: e.type,
    occurredAt: new Date(occurredAt).toISOString(),
  };
  if (e.productId !== undefined) event.productId = e.productId;
  if (e.query !== undefined && e.query.trim() !== "") event.query = e.query.trim();
  if (e.sessionId !== undefined) event.sessionId = e.sessionId;
  if (e.properties !== undefined) event.properties = e.properties;
  return { ok: true, event };
}

export interface BatchCheck {
  accepted: { index: number; event: QueuedClientEvent }[];
  rejected: Rejection[];
}

/**
 * Checks every event of a request on its own. An id repeated within the request is refused after its
 * first use: it names one event, and the first is the one kept.
 */
export function checkBatch(items: readonly unknown[], now: number, newId: () => string): BatchCheck {
  const accepted: BatchCheck["accepted"] = [];
  const rejected: Rejection[] = [];
  const firstIndexOf = new Map<string, number>();
  items.forEach((raw, index) => {
    const check = checkClientEvent(raw, now, newId);
    if (!check.ok) {
      rejected.push({ index, reason: check.reason });
      return;
    }
    const first = firstIndexOf.get(check.event.id);
    if (first !== undefined) {
      rejected.push({ index, reason: `id: repeats the id of event ${first} in this request` });
      return;
    }
    firstIndexOf.set(check.event.id, index);
    accepted.push({ index, event: check.event });
  });
  return { accepted, rejected };
}

/** Why an event about this product may not be reported by `reporter`, or null when it may. */
function productRefusal(
  productId: string | undefined,
  merchantOf: ReadonlyMap<string, string>,
  reporter: string | null,
): string | null {
  if (productId === undefined) return null;
  const merchant = merchantOf.get(productId);
  if (merchant === undefined) return "productId: no such product";
  // Products are public (GET /v1/products/{id}), so naming the refusal reveals nothing.
  if (reporter !== null && merchant !== reporter) return "productId: not one of your products";
  return null;
}

/**
 * Moves events about products the reporter may not report on from accepted to rejected: unknown
 * products, and other merchants' products. `merchantOf` maps the batch's product ids to their merchant;
 * `reporter` is the reporting merchant, or null for an admin, who may report on any product. A
 * merchant moves only its own products' figures, however many events it sends.
 */
export function rejectForeignProducts(
  batch: BatchCheck,
  merchantOf: ReadonlyMap<string, string>,
  reporter: string | null,
): BatchCheck {
  const accepted: BatchCheck["accepted"] = [];
  const rejected = [...batch.rejected];
  for (const a of batch.accepted) {
    const reason = productRefusal(a.event.productId, merchantOf, reporter);
    if (reason) rejected.push({ index: a.index, reason });
    else accepted.push(a);
  }
  rejected.sort((x, y) => x.index - y.index);
  return { accepted, rejected };
}
