/**
 * The game day's view of the backbone over time, read from the runtime's state files once a second:
 * per consumer, the facts published to it and not yet acknowledged (its backlog), the age of the
 * oldest of them, and how many it has acknowledged so far (its throughput, as a difference). Only
 * facts created since the run began count, so a long-lived `npm start` database does not weigh in.
 *
 * Read from state rather than from a queue API because local Queues expose none; a published fact
 * without its consumer's `processed_events` row is, by the delivery ledger's own definition, a
 * delivery that consumer still owes (queued, retrying, held by a pause or dead-lettered).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CONSUMERS, SUBSCRIPTIONS } from "../../src/flows";
import type { StateReader } from "./state";

export interface ConsumerSample {
  backlog: number;
  oldestPublishedAt: number | null;
  /** Acknowledged (processed_events rows) since the run began. */
  acked: number;
  /** Facts of its types published since the run began (what it was offered). */
  offered: number;
}

export interface Sample {
  t: number;
  consumers: Record<string, ConsumerSample>;
}

/** Each consumer's subscribed event types, from the flows' declarations. */
export function subscribedTypes(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of Object.keys(CONSUMERS)) out[name] = [];
  for (const [type, consumers] of Object.entries(SUBSCRIPTIONS))
    for (const c of consumers as readonly string[]) out[c]?.push(type);
  return out;
}

const list = (xs: readonly string[]) => xs.map((x) => `'${x.replaceAll("'", "''")}'`).join(", ") || "''";

export function sampleOnce(state: StateReader, since: number, now = Date.now()): Sample {
  const consumers: Record<string, ConsumerSample> = {};
  const acked = new Map(
    state
      .d1<{ consumer: string; n: number }>(
        "SELECT consumer, count(*) AS n FROM processed_events WHERE processed_at >= ? GROUP BY consumer",
        [since],
      )
      .map((r) => [r.consumer, r.n]),
  );
  for (const [consumer, types] of Object.entries(subscribedTypes())) {
    const [row] = state.d1<{ offered: number; backlog: number; oldest: number | null }>(
      `SELECT count(*) AS offered,
              sum(NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = ? AND p.event_id = o.id)) AS backlog,
              min(CASE WHEN NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = ? AND p.event_id = o.id)
                       THEN o.published_at END) AS oldest
         FROM outbox o
        WHERE o.type IN (${list(types)}) AND o.created_at >= ? AND o.published_at IS NOT NULL`,
      [consumer, consumer, since],
    );
    consumers[consumer] = {
      backlog: row?.backlog ?? 0,
      oldestPublishedAt: row?.oldest ?? null,
      acked: acked.get(consumer) ?? 0,
      offered: row?.offered ?? 0,
    };
  }
  return { t: now, consumers };
}

/** Samples every `intervalMs` until stopped; a failed read (a file mid-checkpoint) skips one tick. */
export class Sampler {
  readonly samples: Sample[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: StateReader,
    readonly since: number,
    private readonly intervalMs = 1000,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const t0 = Date.now();
        try {
          this.samples.push(sampleOnce(this.state, this.since, t0));
        } catch {
          // The next tick reads again; one gap in a chart is better than a dead run.
        }
        await sleep(Math.max(0, this.intervalMs - (Date.now() - t0)));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  latest(): Sample | undefined {
    return this.samples.at(-1);
  }
}
