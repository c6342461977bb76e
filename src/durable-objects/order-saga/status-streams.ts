import type { OrderSagaState } from "../../domain/checkout";
import { type StatusUpdate, statusUpdate } from "./view";

interface Subscriber {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** What this client was last told, so it hears of changes only. */
  last: string;
}

const encoder = new TextEncoder();
const frame = (u: StatusUpdate) =>
  encoder.encode(`event: status\nid: ${u.version}\ndata: ${JSON.stringify(u)}\n\n`);
const changeKey = (u: StatusUpdate) => `${u.status}|${u.statusMessage}|${u.terminal}`;

/**
 * The order's Server-Sent Events: each client gets the current status at once, then one event per
 * change of status or status message, and the stream closes once the order is terminal (a client that
 * connects after the end gets the final status and the close). Held in memory: an evicted object drops
 * its streams, and clients reconnect to get the current status again.
 */
export class StatusStreams {
  private readonly subscribers = new Set<Subscriber>();

  open(state: OrderSagaState): Response {
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    const sub: Subscriber = { writer: writable.getWriter(), last: "" };
    this.subscribers.add(sub);
    this.send(sub, statusUpdate(state));
    return new Response(readable, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      },
    });
  }

  publish(state: OrderSagaState): void {
    if (this.subscribers.size === 0) return;
    const update = statusUpdate(state);
    for (const sub of this.subscribers) this.send(sub, update);
  }

  private send(sub: Subscriber, update: StatusUpdate): void {
    const key = changeKey(update);
    if (key === sub.last) return;
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
