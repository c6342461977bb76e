/**
 * The figures a game-day report is made of, computed after the run from what the sampler, the prober
 * and the runtime's own bookkeeping (consumer_attempts, dead_letters) recorded. Pure functions of that
 * data, so a report can be recomputed from report.json.
 */
import { percentile } from "../../bench/lib/stats";
import type { ProbeResult, SyncRoute } from "./probe";
import { SYNC_ROUTES } from "./probe";
import type { PhaseFigure, RetryFigure, Series, Window } from "./report-model";
import type { Sample } from "./sampler";
import type { StateReader } from "./state";

/**
 * Each point of the p99 and throughput lines covers the last few seconds: one second holds only a
 * handful of probes, and consumers acknowledge in batches, so per-second rates are mostly noise.
 */
const WINDOW_MS = 5_000;

export function seriesOf(samples: readonly Sample[], probes: readonly ProbeResult[]): Series {
  // Only consumers the run offered something to: a flat line at zero per idle consumer hides the rest.
  const consumers = Object.keys(samples[0]?.consumers ?? {}).filter((c) =>
    samples.some((s) => (s.consumers[c]?.offered ?? 0) > 0 || (s.consumers[c]?.backlog ?? 0) > 0),
  );
  const series: Series = { t: [], backlog: {}, oldestAgeS: {}, throughput: {}, syncP99Ms: {} };
  for (const c of consumers) {
    series.backlog[c] = [];
    series.oldestAgeS[c] = [];
    series.throughput[c] = [];
  }
  for (const r of SYNC_ROUTES) series.syncP99Ms[r] = [];
  let first = 0;
  samples.forEach((s) => {
    while (first < samples.length - 1 && samples[first]!.t < s.t - WINDOW_MS) first++;
    const prev = samples[first] !== s ? samples[first] : undefined;
    series.t.push(s.t);
    for (const c of consumers) {
      const now = s.consumers[c];
      series.backlog[c]!.push(now?.backlog ?? null);
      series.oldestAgeS[c]!.push(
        now?.oldestPublishedAt == null ? 0 : Math.max(0, (s.t - now.oldestPublishedAt) / 1000),
      );
      const before = prev?.consumers[c];
      series.throughput[c]!.push(
        prev && now && before ? Math.max(0, ((now.acked - before.acked) * 1000) / (s.t - prev.t)) : null,
      );
    }
    for (const r of SYNC_ROUTES) {
      const ms = probes
        .filter((p) => p.route === r && p.status === 200 && p.t > s.t - WINDOW_MS && p.t <= s.t)
        .map((p) => p.ms);
      series.syncP99Ms[r]!.push(ms.length === 0 ? null : percentile(ms, 99));
    }
  });
  return series;
}

/** Samples inside a window, and the first sample at or before its start (for differences). */
function within(samples: readonly Sample[], w: Window): { first?: Sample; last?: Sample; inside: Sample[] } {
  const inside = samples.filter((s) => s.t >= w.from && s.t <= w.to);
  const before = samples.filter((s) => s.t <= w.from).at(-1);
  return { first: before ?? inside[0], last: inside.at(-1), inside };
}

export interface ConsumerPhase {
  /** Acknowledgements per second over the window. */
  throughput: number | null;
  /** Facts offered to it per second over the window (published facts of its types). */
  offered: number | null;
  /** Acknowledged ÷ offered over the window: 1 keeps up, below 1 falls behind, above 1 catches up. */
  keepUp: number | null;
  maxBacklog: number | null;
  maxOldestAgeS: number | null;
  /** Median consume lag (consume time − event time) of the acknowledged attempts started in it. */
  lagP50Ms: number | null;
  lagP95Ms: number | null;
}

export function consumerPhase(
  samples: readonly Sample[],
  lags: readonly { consumer: string; startedAt: number; lagMs: number }[],
  consumer: string,
  w: Window,
): ConsumerPhase {
  const { first, last, inside } = within(samples, w);
  const a = first?.consumers[consumer];
  const b = last?.consumers[consumer];
  const seconds = first && last ? (last.t - first.t) / 1000 : 0;
  const acked = a && b ? b.acked - a.acked : null;
  const offered = a && b ? b.offered - a.offered : null;
  const lag = lags.filter((l) => l.consumer === consumer && l.startedAt >= w.from && l.startedAt < w.to);
  const ms = lag.map((l) => l.lagMs);
  return {
    throughput: seconds > 0 && acked !== null ? acked / seconds : null,
    offered: seconds > 0 && offered !== null ? offered / seconds : null,
    keepUp: acked !== null && offered ? acked / offered : null,
    maxBacklog: inside.length ? Math.max(...inside.map((s) => s.consumers[consumer]?.backlog ?? 0)) : null,
    maxOldestAgeS: inside.length
      ? Math.max(
          ...inside.map((s) => {
            const o = s.consumers[consumer]?.oldestPublishedAt;
            return o == null ? 0 : (s.t - o) / 1000;
          }),
        )
      : null,
    lagP50Ms: ms.length ? percentile(ms, 50) : null,
    lagP95Ms: ms.length ? percentile(ms, 95) : null,
  };
}

/** Every acknowledged attempt since `since`: consumer, start and lag (for per-phase lag figures). */
export function readLags(state: StateReader, since: number) {
  return state.d1<{ consumer: string; startedAt: number; lagMs: number }>(
    "SELECT consumer, started_at AS startedAt, lag_ms AS lagMs FROM consumer_attempts WHERE outcome = 'acked' AND started_at >= ?",
    [since],
  );
}

/**
 * Per consumer since `since`: deliveries (distinct events), attempts, retries per message, how many
 * attempts were injected failures (outcome `injected`; a `dead-lettered` row keeps its last error, which
 * may be an injected one, but is no injection), and dead letters stored.
 */
export function readRetries(state: StateReader, since: number): RetryFigure[] {
  const attempts = state.d1<{ consumer: string; messages: number; attempts: number; injected: number }>(
    `SELECT consumer, count(DISTINCT event_id) AS messages, count(*) AS attempts,
            sum(outcome = 'injected') AS injected
       FROM consumer_attempts WHERE started_at >= ? GROUP BY consumer ORDER BY consumer`,
    [since],
  );
  const dead = new Map(
    state
      .d1<{ consumer: string; n: number }>(
        "SELECT consumer, count(*) AS n FROM dead_letters WHERE first_failed_at >= ? GROUP BY consumer",
        [since],
      )
      .map((r) => [r.consumer, r.n]),
  );
  return attempts.map((a) => ({
    consumer: a.consumer,
    messages: a.messages,
    attempts: a.attempts,
    retriesPerMessage: a.messages === 0 ? 0 : (a.attempts - a.messages) / a.messages,
    injected: a.injected ?? 0,
    deadLettered: dead.get(a.consumer) ?? 0,
  }));
}

const round = (x: number | null, digits = 1) => (x === null ? null : Number(x.toFixed(digits)));

/**
 * Steady vs during vs after, per consumer and per sync route: the table a review reads first. The
 * scenario names which of its phases play those three parts.
 */
export function phaseFigures(
  samples: readonly Sample[],
  lags: readonly { consumer: string; startedAt: number; lagMs: number }[],
  probeP99: (route: SyncRoute, w: Window) => number | null,
  consumers: readonly string[],
  [steady, during, after]: [Window, Window, Window | null],
): PhaseFigure[] {
  const rows: PhaseFigure[] = [];
  for (const c of consumers) {
    const f = (w: Window | null) => (w ? consumerPhase(samples, lags, c, w) : null);
    const [s, d, a] = [f(steady), f(during), f(after)];
    // A consumer the scenario never offered a fact to would only add rows of zeros.
    if (![s, d, a].some((x) => (x?.offered ?? 0) > 0 || (x?.maxBacklog ?? 0) > 0)) continue;
    rows.push(
      {
        metric: `${c} throughput`,
        unit: "acks/s",
        steady: round(s?.throughput ?? null),
        during: round(d?.throughput ?? null),
        after: round(a?.throughput ?? null),
      },
      {
        metric: `${c} lag p50`,
        unit: "ms",
        steady: round(s?.lagP50Ms ?? null, 0),
        during: round(d?.lagP50Ms ?? null, 0),
        after: round(a?.lagP50Ms ?? null, 0),
      },
      {
        metric: `${c} backlog (max)`,
        unit: "facts",
        steady: s?.maxBacklog ?? null,
        during: d?.maxBacklog ?? null,
        after: a?.maxBacklog ?? null,
      },
    );
  }
  for (const r of SYNC_ROUTES)
    rows.push({
      metric: `${r} p99`,
      unit: "ms",
      steady: probeP99(r, steady),
      during: probeP99(r, during),
      after: after ? probeP99(r, after) : null,
    });
  return rows;
}
