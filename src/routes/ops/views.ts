import type { alerts, deadLetters, mailbox } from "../../platform/events/schema";
import { iso, isoOrNull } from "./ops.shared";

/** The stored text as JSON when it parses (an envelope, usually), else the text itself. */
export function parsedOrRaw(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toDeadLetterView(row: typeof deadLetters.$inferSelect) {
  return {
    id: row.id,
    originQueue: row.originQueue,
    consumer: row.consumer,
    eventId: row.eventId,
    eventType: row.eventType,
    envelope: parsedOrRaw(row.envelope),
    lastError: row.lastError,
    attempts: row.attempts,
    firstFailedAt: iso(row.firstFailedAt),
    lastFailedAt: iso(row.lastFailedAt),
    sizeBytes: row.sizeBytes,
    status: row.status,
    redrivenAt: isoOrNull(row.redrivenAt),
    discardedAt: isoOrNull(row.discardedAt),
  };
}

export function toAlertView(row: typeof alerts.$inferSelect) {
  return {
    id: row.id,
    rule: row.rule,
    metric: row.metric,
    value: row.value,
    threshold: row.threshold,
    message: row.message,
    state: row.state,
    raisedAt: iso(row.raisedAt),
    resolvedAt: isoOrNull(row.resolvedAt),
  };
}

export function toMailView(row: typeof mailbox.$inferSelect) {
  return {
    id: row.id,
    to: row.to,
    subject: row.subject,
    text: row.text,
    html: row.html,
    template: row.template,
    eventId: row.eventId,
    sentAt: iso(row.sentAt),
  };
}
