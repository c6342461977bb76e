/**
 * `npm run gameday -- backlog-recovery`: pause the analytics consumer, let its backlog grow to 20,000
 * real facts, resume it, and measure the drain — and what the drain does to the routes users wait on.
 */
import type { GamedayContext, ScenarioDefinition } from "../lib/gameday";
import { SYNC_ROUTES } from "../lib/probe";
import type { HypothesisCheck } from "../lib/report-model";

interface Profile {
  backlog: number;
  idleS: number;
  /** Facts per POST /ops/faults/backlog (its maximum is 1,000). */
  perCall: number;
  drainTimeoutS: number;
  afterS: number;
}

const CONSUMER = "analytics";
/** The bar: sync p99 during the drain at most 1.5× the same routes idle. */
const P99_RATIO = 1.5;

export const backlogRecovery: ScenarioDefinition<Profile> = {
  name: "backlog-recovery",
  summary: "pause analytics until 20,000 facts wait, resume, measure the drain and the sync p99",
  hypothesis:
    "After a pause leaves 20,000 facts waiting for the analytics consumer, it drains them all once resumed, and the p99 of the synchronous routes (me, search, quote) during the drain stays at most 1.5× the same routes idle.",
  steadyState:
    "Idle backbone: the analytics backlog is zero and me, search and quote are probed at a steady rate.",
  method: [
    "Probe me, search and quote at a steady rate throughout; the idle phase measures their p99.",
    "Send one real analytics batch (the template) and let it be counted.",
    "Pause the analytics consumer (POST /ops/faults, kind pause).",
    "Enqueue synthetic real facts (POST /ops/faults/backlog, 1,000 per call) until the backlog holds the target.",
    "Clear the pause; measure the time to drain, the peak oldest-message age and the sync p99 during the drain.",
  ],
  abortCondition:
    "The runtime fails its health check for 30 s, or the drain does not finish within its timeout.",
  rollback: "DELETE /ops/faults clears the pause, on success, failure, abort or Ctrl-C alike.",
  profiles: {
    full: { backlog: 20_000, idleS: 30, perCall: 1000, drainTimeoutS: 1200, afterS: 15 },
    ci: { backlog: 2_000, idleS: 15, perCall: 1000, drainTimeoutS: 300, afterS: 10 },
  },
  load: () => ({ orders: 0, buyers: 1, products: 4, importRows: 0, imports: 0, reports: 0, concurrency: 1 }),
  figurePhases: ["idle", "drain", "after"],

  async run(ctx: GamedayContext, p: Profile) {
    const backlogOf = () => ctx.sampler.latest()?.consumers[CONSUMER]?.backlog ?? 0;
    ctx.phase("idle");
    // The template the synthetic facts are modelled on: a real batch through the public API.
    await ctx.driver.perform({ kind: "events", n: 0, products: [0, 1, 2] }, ctx.cast.actors);
    await ctx.waitFor(
      () => backlogOf() === 0 && (ctx.sampler.latest()?.consumers[CONSUMER]?.acked ?? 0) > 0,
      60_000,
    );
    await ctx.sleep(p.idleS * 1000);

    ctx.phase("fill");
    const pause = await ctx.inject({ kind: "pause", consumer: CONSUMER }, 3600, `${CONSUMER} paused`);
    const tags: string[] = [];
    for (let sent = 0, k = 0; sent < p.backlog; k++) {
      const count = Math.min(p.perCall, p.backlog - sent);
      const tag = `gd-${ctx.seed}-bk${k}`;
      await ctx.ops.backlog(CONSUMER, count, tag);
      tags.push(tag);
      sent += count;
      if (k % 5 === 4) ctx.log(`${sent}/${p.backlog} synthetic facts committed`);
    }
    const filled = await ctx.waitFor(() => backlogOf() >= p.backlog, 300_000);
    if (filled === null) ctx.abort(`the backlog never reached ${p.backlog} (at ${backlogOf()})`);
    const peakBacklog = backlogOf();
    recordSyntheticEvents(ctx, tags);

    await ctx.clear(pause);
    const resumedAt = Date.now();
    ctx.phase("drain");
    const drained = await ctx.waitFor(() => backlogOf() === 0, p.drainTimeoutS * 1000);
    if (drained === null)
      ctx.abort(`the backlog did not drain within ${p.drainTimeoutS} s (${backlogOf()} left)`);
    ctx.phase("after");
    await ctx.sleep(p.afterS * 1000);

    const idle = ctx.phases.find((w) => w.label === "idle")!;
    const drain = ctx.phases.find((w) => w.label === "drain")!;
    const peakAgeS = Math.max(
      0,
      ...ctx.sampler.samples.map((s) => {
        const o = s.consumers[CONSUMER]?.oldestPublishedAt;
        return o == null ? 0 : (s.t - o) / 1000;
      }),
    );
    const drainMs = drained! - resumedAt;
    const checks: HypothesisCheck[] = [
      {
        name: "the backlog reached its target",
        expected: `≥ ${p.backlog.toLocaleString("en-US")} facts`,
        actual: `${peakBacklog.toLocaleString("en-US")} facts`,
        held: peakBacklog >= p.backlog,
      },
      {
        name: "the backlog drains once resumed",
        expected: `0 within ${p.drainTimeoutS} s`,
        actual: `0 after ${(drainMs / 1000).toFixed(1)} s (${((peakBacklog * 1000) / drainMs).toFixed(0)} facts/s); peak oldest age ${peakAgeS.toFixed(0)} s`,
        held: true,
      },
    ];
    for (const route of SYNC_ROUTES) {
      const idleP99 = ctx.prober.p99(route, idle.from, idle.to);
      const drainP99 = ctx.prober.p99(route, drain.from, drain.to);
      checks.push({
        name: `${route} p99 during the drain`,
        expected: `≤ ${P99_RATIO}× idle (${idleP99 ?? "n/a"} ms → ≤ ${idleP99 === null ? "n/a" : Math.round(idleP99 * P99_RATIO)} ms)`,
        actual: `${drainP99 ?? "n/a"} ms (${idleP99 && drainP99 ? (drainP99 / idleP99).toFixed(2) : "n/a"}×; ${ctx.prober.count(drain.from, drain.to).ok} probes)`,
        held: idleP99 !== null && drainP99 !== null && drainP99 <= idleP99 * P99_RATIO,
      });
    }
    return {
      checks,
      timeToRecoverMs: drainMs,
      notes: [
        `Peak backlog ${peakBacklog.toLocaleString("en-US")} facts; drained in ${(drainMs / 1000).toFixed(1)} s; peak oldest-message age ${peakAgeS.toFixed(0)} s.`,
        "While paused, the delivery reconciler leaves the facts waiting in the queue alone (it is behind) and re-sends those of the batch the paused consumer holds once past the grace period, as it would in production; the consumer's dedup drops those copies (see retries per message).",
      ],
    };
  },
};

/**
 * The synthetic facts were acknowledged by POST /ops/faults/backlog (202): the history records their
 * client events as an accepted batch, so the checker holds the drain to "each counted exactly once".
 */
function recordSyntheticEvents(ctx: GamedayContext, tags: string[]): void {
  const rows = ctx.state.d1<{ id: string; product: string | null }>(
    `SELECT json_extract(envelope, '$.data.events[0].id') AS id, json_extract(envelope, '$.data.events[0].productId') AS product
       FROM outbox WHERE correlation_id IN (${tags.map(() => "?").join(", ")})`,
    tags.map((t) => `backlog-${t}`),
  );
  const ids = rows.map((r) => r.id);
  const now = Date.now();
  ctx.history.add({
    id: 1_000_000 + ctx.history.ops.length,
    flow: "events",
    productIds: [...new Set(rows.map((r) => r.product ?? ""))],
    ids,
    acceptedIds: ids,
    startedAt: now,
    endedAt: now,
    outcome: "acked",
    status: 202,
    attempts: 1,
    networkErrors: 0,
    note: `${ids.length} synthetic events (POST /ops/faults/backlog)`,
  });
}
