import { newId } from "../ids";
import { currentVersion } from "./define-event";
import { type Causation, createEnvelope } from "./envelope";
import { type EventData, type EventType, topology } from "./registry";
import type { CurrentEvent } from "./upcast";

/** Where an event was recorded: `/crossdock/api`, `/crossdock/consumers/<name>`, `/crossdock/ops`. */
export type EventSource = `/crossdock/${string}`;

/**
 * A new event at the current version of its type. Data is validated here, at the producer, so a bad
 * event fails the request that tried to record it instead of poisoning a queue later.
 *
 * @example
 * const event = newEvent("user.registered", user.id, data, causedByRequest(c), "/crossdock/api", now);
 */
export function newEvent<T extends EventType>(
  type: T,
  subject: string,
  data: EventData<T>,
  causation: Causation,
  source: EventSource,
  now: number,
): CurrentEvent<T> {
  const def = topology().events[type];
  const parsed = def.current.parse(data) as EventData<T>;
  return createEnvelope({
    id: newId("evt", now),
    time: new Date(now),
    source,
    type,
    version: currentVersion(def),
    subject,
    data: parsed,
    causation,
  }) as CurrentEvent<T>;
}

/** Causation for an event recorded by a request: the request id starts (and directly causes) the chain. */
export function causedByRequest(ctx: { requestId: string; traceparent: string }): Causation {
  return { correlationId: ctx.requestId, causationId: ctx.requestId, traceparent: ctx.traceparent };
}

/** Causation for an event recorded while handling another: same chain, caused by that event. */
export function causedByEvent(parent: { id: string; correlationid: string; traceparent: string }): Causation {
  return { correlationId: parent.correlationid, causationId: parent.id, traceparent: parent.traceparent };
}
