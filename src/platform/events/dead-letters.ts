import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../ids";
import { consumerAttempts, deadLetters } from "./schema";

export interface DeadLetterInput {
  originQueue: string;
  consumer: string;
  /** The message body as it arrived: usually an envelope, but a poison message may be anything. */
  body: unknown;
  error: string;
  attempts: number;
  now: number;
  /** When the first attempt failed, if known (the DLQ consumer reads it from consumer_attempts). */
  firstFailedAt?: number;
}

function describe(body: unknown) {
  let text: string;
  try {
    text = JSON.stringify(body) ?? String(body);
  } catch {
    text = String(body);
  }
  const o = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  return {
    envelope: text,
    eventId: typeof o.id === "string" ? o.id : `unidentified-${newId("msg")}`,
    eventType: typeof o.type === "string" ? o.type : "unknown",
    sizeBytes: new TextEncoder().encode(text).byteLength,
  };
}

/**
 * Statements that store a dead message and count it as a dead-lettered attempt. A message that dies
 * again after a redrive updates its row (attempts, last error, last failure) instead of adding one.
 * Used by the dead-letter consumer and by the runtime for poison messages, so both paths store alike.
 */
export function deadLetterStatements(db: Db, d: DeadLetterInput) {
  const m = describe(d.body);
  const correlationId = (d.body as { correlationid?: unknown } | null)?.correlationid;
  return [
    db
      .insert(deadLetters)
      .values({
        id: newId("dlq", d.now),
        originQueue: d.originQueue,
        consumer: d.consumer,
        eventId: m.eventId,
        eventType: m.eventType,
        envelope: m.envelope,
        lastError: d.error,
        attempts: d.attempts,
        firstFailedAt: d.firstFailedAt ?? d.now,
        lastFailedAt: d.now,
        sizeBytes: m.sizeBytes,
        status: "dead",
      })
      .onConflictDoUpdate({
        target: [deadLetters.consumer, deadLetters.eventId],
        set: {
          envelope: m.envelope,
          lastError: d.error,
          attempts: sql`${deadLetters.attempts} + ${d.attempts}`,
          lastFailedAt: d.now,
          sizeBytes: m.sizeBytes,
          status: "dead",
          redrivenAt: null,
        },
      }),
    db.insert(consumerAttempts).values({
      eventId: m.eventId,
      eventType: m.eventType,
      consumer: d.consumer,
      attempt: d.attempts,
      outcome: "dead-lettered",
      correlationId: typeof correlationId === "string" ? correlationId : "unknown",
      startedAt: d.now,
      durationMs: 0,
      lagMs: 0,
      error: d.error,
    }),
  ] as const;
}
