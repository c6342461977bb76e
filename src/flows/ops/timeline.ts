/**
 * A trace's timeline: the request that started a chain, every event in the chain and every consumer
 * attempt at those events, in the order they happened.
 */
export type TimelineEntry =
  | { kind: "request"; at: number }
  | { kind: "event"; at: number; id: string }
  /** `seq` is the attempt's row id: the order in which attempts were recorded. */
  | { kind: "attempt"; at: number; seq: number };

/**
 * Within one millisecond a request precedes the events it recorded (written in the same batch, with the
 * same time) and an event precedes the attempts at it.
 */
const KIND_ORDER = { request: 0, event: 1, attempt: 2 } as const;

function tieBreak(a: TimelineEntry, b: TimelineEntry): number {
  if (a.kind === "event" && b.kind === "event") return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  if (a.kind === "attempt" && b.kind === "attempt") return a.seq - b.seq;
  return 0;
}

/**
 * Orders entries by time, then by kind, then by id (events; ids are time-ordered) or recording order
 * (attempts). Returns a new array and keeps whatever else each entry carries.
 *
 * @example
 * sortTimeline([attempt, request, event]); // [request, event, attempt]
 */
export function sortTimeline<E extends TimelineEntry>(entries: readonly E[]): E[] {
  return [...entries].sort(
    (a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || tieBreak(a, b),
  );
}
