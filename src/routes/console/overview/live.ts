import type { Clock } from "../../../platform/clock";
import { type EventStream, writeEvent } from "../../../platform/http/event-stream";
import { readFlowFigures } from "./figures";
import { liveFields } from "./live-fields";

export const LIVE_FLOWS_PATH = "/console/live/flows";

/**
 * How often an open page's figures are read again. Every figure is an aggregate D1 (or a queue's own
 * `metrics()`) already answers for /ops/metrics and the alert rules, so the stream reads them from there
 * rather than keeping a copy in step: three batches and one `metrics()` per queue per period per open page.
 */
export const LIVE_PERIOD_MS = 5_000;
/**
 * A stream ends after this long and the page's EventSource reconnects (after SSE_RETRY_MS): no request
 * is held open for hours, and a page left open picks up a new deployment.
 */
export const LIVE_MAX_MS = 5 * 60_000;

/**
 * Writes the figures at once, then every LIVE_PERIOD_MS of `clock`'s time, as `figures` events whose id
 * is the instant they were read; returns before the next read would pass LIVE_MAX_MS, or once the client
 * has gone. A reconnecting client simply gets the figures of now: every event is the whole state.
 */
export async function followFlows(stream: EventStream, env: Env, clock: Clock): Promise<void> {
  const startedAt = clock.now();
  while (!stream.aborted) {
    const figures = await readFlowFigures(env, clock.now());
    await writeEvent(stream, "figures", figures.at, liveFields(figures));
    if (clock.now() + LIVE_PERIOD_MS - startedAt > LIVE_MAX_MS) return;
    await clock.sleep(LIVE_PERIOD_MS);
  }
}
