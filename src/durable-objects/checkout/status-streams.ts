import type { Context } from "hono";
import type { OrderSagaState } from "../../flows/checkout";
import { type EventStream, eventStream, writeEvent } from "../../platform/http/event-stream";
import { type StatusUpdate, statusUpdate } from "./view";

interface Subscriber {
  stream: EventStream;
  /** The last version this client was told of (or said it saw, by Last-Event-ID). */
  version: number;
  /** What this client was last told, so it hears of changes only. */
  last: string;
  /** This client's writes, chained so they go out in order; the saga never waits for them. */
  written: Promise<void>;
  /** Ends the stream (settles what `eventStream` follows). */
  end: () => void;
}

const changeKey = (u: StatusUpdate) => `${u.status}|${u.statusMessage}|${u.terminal}`;

/**
 * The order's Server-Sent Events: `retry:`, then the current status at once (unless the client's
 * Last-Event-ID says it has seen that version), then one event per change of status or status message;
 * the stream closes once the order is terminal. A client that connects after the end gets the final
 * status and the close; one that has already seen it gets 204, so its EventSource stops reconnecting.
 * Held in memory: an evicted object drops its streams, and clients reconnect to resume.
 */
export class StatusStreams {
  private readonly subscribers = new Set<Subscriber>();

  open(c: Context, state: OrderSagaState, lastSeenVersion: number): Response {
    const current = statusUpdate(state);
    const sawTheEnd = current.terminal && current.version <= lastSeenVersion;
    return eventStream(c, sawTheEnd, (stream) => {
      // Subscribed before the response is returned, so no change made meanwhile is missed.
      const ended = new Promise<void>((end) => {
        const sub: Subscriber = {
          stream,
          version: lastSeenVersion,
          last: "",
          written: Promise.resolve(),
          end,
        };
        this.subscribers.add(sub);
        stream.onAbort(() => this.drop(sub));
        this.send(sub, current);
      });
      return ended;
    });
  }

  publish(state: OrderSagaState): void {
    if (this.subscribers.size === 0) return;
    const update = statusUpdate(state);
    for (const sub of this.subscribers) this.send(sub, update);
  }

  private send(sub: Subscriber, update: StatusUpdate): void {
    const key = changeKey(update);
    if (update.version <= sub.version || key === sub.last) return;
    sub.version = update.version;
    sub.last = key;
    // Not awaited: a client that stops reading must never hold up the saga.
    sub.written = sub.written.then(() => writeEvent(sub.stream, "status", update.version, update));
    if (update.terminal) this.drop(sub);
  }

  /** Unsubscribes, and closes the stream once what was written to it is out. */
  private drop(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    void sub.written.then(sub.end);
  }
}
