import type { RouteHandler } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import { CONSUMERS, SUBSCRIPTIONS } from "../../flows";
import { getDb } from "../../platform/db/client";
import { NotFoundError } from "../../platform/errors";
import { versionOf } from "../../platform/events/envelope";
import type { ConsumerName, EventType } from "../../platform/events/registry";
import {
  consumerAttempts,
  deadLetters,
  deliveries,
  outbox,
  processedEvents,
} from "../../platform/events/schema";
import type { AppEnv } from "../../platform/http/app-env";
import type { getEventRoute } from "./events.routes";
import { iso, isoOrNull } from "./ops.shared";
import { parsedOrRaw } from "./views";

// Every consumer name, so the lookups by event id use the (consumer, event_id) keys of
// processed_events and dead_letters instead of scanning them.
const ALL_CONSUMERS = Object.keys(CONSUMERS) as ConsumerName[];

function schemaVersionOf(envelope: unknown, type: string): number | null {
  if (typeof envelope !== "object" || envelope === null) return null;
  const { dataschema } = envelope as { dataschema?: unknown };
  return typeof dataschema === "string" ? versionOf({ type, dataschema }) : null;
}

/**
 * One event as GET /ops/events/{id} shows it (and the console's page of an event): its envelope, when it
 * was published and settled, and what each consumer did with it.
 *
 * @throws NotFoundError for an id the outbox does not hold.
 */
export async function readEvent(env: Env, id: string) {
  const db = getDb(env.DB);
  const [events, attempts, acks, dead, outstanding] = await db.batch([
    db.select().from(outbox).where(eq(outbox.id, id)),
    db
      .select()
      .from(consumerAttempts)
      .where(eq(consumerAttempts.eventId, id))
      .orderBy(asc(consumerAttempts.id)),
    db
      .select()
      .from(processedEvents)
      .where(and(inArray(processedEvents.consumer, ALL_CONSUMERS), eq(processedEvents.eventId, id))),
    db
      .select({ id: deadLetters.id, consumer: deadLetters.consumer, status: deadLetters.status })
      .from(deadLetters)
      .where(and(inArray(deadLetters.consumer, ALL_CONSUMERS), eq(deadLetters.eventId, id))),
    db.select().from(deliveries).where(eq(deliveries.eventId, id)),
  ]);
  const event = events[0];
  if (!event) throw new NotFoundError("event", id);

  const envelope = parsedOrRaw(event.envelope);
  const subscribed: readonly string[] = SUBSCRIPTIONS[event.type as EventType] ?? [];
  // A consumer with history but no subscription today (the topology changed) is still shown.
  const seen = [...attempts, ...acks, ...dead, ...outstanding].map((r) => r.consumer);
  const names = [...new Set([...subscribed, ...seen])];
  const consumers = names.map((consumer) => {
    const ack = acks.find((a) => a.consumer === consumer);
    const deadLetter = dead.find((d) => d.consumer === consumer);
    const delivery = outstanding.find((d) => d.consumer === consumer);
    return {
      consumer,
      subscribed: subscribed.includes(consumer),
      acknowledged: ack !== undefined,
      acknowledgedAt: ack ? iso(ack.processedAt) : null,
      attempts: attempts
        .filter((a) => a.consumer === consumer)
        .map((a) => ({
          attempt: a.attempt,
          outcome: a.outcome,
          startedAt: iso(a.startedAt),
          durationMs: a.durationMs,
          lagMs: a.lagMs,
          error: a.error,
        })),
      deadLetter: deadLetter ? { id: deadLetter.id, status: deadLetter.status } : null,
      delivery: delivery ? { state: delivery.state, resends: delivery.resends } : null,
    };
  });
  return {
    id: event.id,
    type: event.type,
    schemaVersion: schemaVersionOf(envelope, event.type),
    subject: event.subject,
    correlationId: event.correlationId,
    createdAt: iso(event.createdAt),
    publishedAt: isoOrNull(event.publishedAt),
    settledAt: isoOrNull(event.settledAt),
    envelope,
    consumers,
  };
}

export const getEvent: RouteHandler<typeof getEventRoute, AppEnv> = async (c) =>
  c.json(await readEvent(c.env, c.req.valid("param").id), 200);
