/**
 * Puts messages on a queue for the drain benchmark, from inside workerd so loading is fast:
 * `POST /load?queue=crossdock|bare` with a JSON array of message bodies, sent with sendBatch in chunks
 * of 100 (the Queues limit) as JSON, as crossdock's relay sends them.
 */
import type { LoadTarget } from "./names";

interface LoaderEnv {
  CROSSDOCK_QUEUE: Queue<unknown>;
  BARE_QUEUE: Queue<unknown>;
}

const SEND_BATCH_LIMIT = 100;

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const target = url.searchParams.get("queue") as LoadTarget | null;
    if (
      request.method !== "POST" ||
      url.pathname !== "/load" ||
      (target !== "crossdock" && target !== "bare")
    ) {
      return Response.json({ detail: "POST /load?queue=crossdock|bare" }, { status: 400 });
    }
    const queue = target === "crossdock" ? env.CROSSDOCK_QUEUE : env.BARE_QUEUE;
    const bodies = (await request.json()) as unknown[];
    for (let i = 0; i < bodies.length; i += SEND_BATCH_LIMIT) {
      const chunk = bodies
        .slice(i, i + SEND_BATCH_LIMIT)
        .map((body) => ({ body, contentType: "json" as const }));
      try {
        await queue.sendBatch(chunk);
      } catch (err) {
        return Response.json({ detail: `sendBatch at ${i}: ${(err as Error).message}` }, { status: 500 });
      }
    }
    return Response.json({ sent: bodies.length });
  },
} satisfies ExportedHandler<LoaderEnv>;
