import type { OrderSagaState } from "../../domain/checkout";
import { sseEvent, sseResponse, sseRetry } from "../../platform/http/event-stream";
import { type StatusUpdate, statusUpdate } from "./view";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** The last version this client was told of (or said it saw, by Last-Event-ID). */
  version: number;
  /** What this client was last told, so it hears of changes only. */
  last: string;
}

const frame = (u: StatusUpdate) => sseEvent("status", u.version, u);
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

  open(state: OrderSagaState, lastSeenVersion: number): Response {
    const current = statusUpdate(state);
    if (current.terminal && current.version <= lastSeenVersion) return sseResponse(null);
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const sub: Subscriber = { writer: writable.getWriter(), version: lastSeenVersion, last: "" };
    this.subscribers.add(sub);
    sub.writer.write(sseRetry()).catch(() => this.drop(sub));
    this.send(sub, current);
    return sseResponse(readable);
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
    // Not awaited: a client that stops reading must never hold up the saga. A failed write means it left.
    sub.writer.write(frame(update)).catch(() => this.drop(sub));
    if (update.terminal) this.drop(sub);
  }

  private drop(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    sub.writer.close().catch(() => {});
  }
}
