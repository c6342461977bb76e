/**
 * `npm run gameday -- consumer-failure`: the email consumer fails 30% of its messages for a while under
 * a steady mixed load; every other consumer should not notice, and email should catch up afterwards
 * with nothing lost or sent twice.
 *
 * `npm run gameday -- consumer-outage`: the same day with email failing every message for 60 s (the
 * benchmarks issue's "independent failure"): its retries run out within the outage, so what it could not
 * deliver is dead-lettered, and once the outage is over the operator's bulk redrive delivers it — the
 * other consumers are held to the same 10%.
 */

import { CONSUMERS } from "../../src/flows";
import type { ConsumerName } from "../../src/platform/events/registry";
import { consumerPhase, readLags } from "../lib/figures";
import type { GamedayContext, ScenarioDefinition } from "../lib/gameday";
import type { HypothesisCheck, Window } from "../lib/report-model";

interface Profile {
  opsPerSecond: number;
  steadyS: number;
  faultS: number;
  afterS: number;
  failureRate: number;
  /** How long email may take to catch up once the fault is over. */
  catchUpS: number;
}

const FAULTED = "email";
/** Keeping up, within the 10%: acknowledged ÷ offered during the fault vs the steady state. */
const TOLERANCE = 0.1;
/**
 * A consumer's lag is mostly the wait for its batch to fill (up to its max_batch_timeout, 1–2 s): a
 * message's lag depends on where in that window it arrived, so lag is held to 10% of steady or one
 * batch timeout (at least this much), whichever is more — a difference finer than the batching is not a
 * consumer falling behind.
 */
const LAG_FLOOR_MS = 250;
/** Fewer acknowledgements than this in a phase make its p50 and its keep-up ratio noise, not evidence. */
const MIN_SAMPLE = 10;

const orders = (p: Profile) => Math.round((p.opsPerSecond * (p.steadyS + p.faultS + p.afterS)) / 1.15);

/** Dead letters per bulk-redrive call once an outage is over (the API's maximum). */
const REDRIVE_BATCH = 100;

const consumerFailureDay = (v: {
  name: string;
  summary: string;
  hypothesis: string;
  method: string;
  /** Redrive email's dead letters once the fault clears (a 100% outage exhausts its retries). */
  redrive: boolean;
  profiles: ScenarioDefinition<Profile>["profiles"];
}): ScenarioDefinition<Profile> => ({
  name: v.name,
  summary: v.summary,
  hypothesis: v.hypothesis,
  steadyState:
    "A steady mixed load (orders with every sandbox card, sign-ups, analytics batches) at a fixed arrival rate; every consumer acknowledges what it is offered and its backlog stays near zero.",
  method: [
    "Start the mixed load at a fixed rate and let it run for the steady phase.",
    v.method,
    v.redrive
      ? "Keep the load going after the fault expires; redrive email's dead letters (POST /ops/dead-letters/redrive); wait for the email backlog to drain."
      : "Keep the load going after the fault expires; wait for the email backlog to drain.",
    "Wait for quiescence and check the history against the final state.",
  ],
  abortCondition:
    "The runtime fails its health check for 30 s, or another consumer's backlog exceeds 2,000 facts (the fault is spreading).",
  rollback: "DELETE /ops/faults clears every fault, on success, failure, abort or Ctrl-C alike.",
  profiles: v.profiles,
  load: () => ({ orders: 0, buyers: 4, products: 8, importRows: 0, imports: 0, reports: 0, concurrency: 8 }),
  figurePhases: ["steady", "fault", "recovery"],

  async run(ctx: GamedayContext, p: Profile) {
    ctx.phase("steady");
    const load = ctx.startLoad(p.opsPerSecond, orders(p));
    const spreading = setInterval(() => {
      const s = ctx.sampler.latest();
      for (const [c, v] of Object.entries(s?.consumers ?? {}))
        if (c !== FAULTED && v.backlog > 2000)
          ctx.abort(`${c} holds ${v.backlog} facts: the fault is spreading`);
    }, 1000);
    try {
      await ctx.sleep(p.steadyS * 1000);
      const fault = await ctx.inject(
        { kind: "failure-rate", consumer: FAULTED, rate: p.failureRate },
        p.faultS,
        `${FAULTED} fails ${p.failureRate * 100}%`,
      );
      ctx.phase("fault");
      await ctx.sleep(p.faultS * 1000);
      await ctx.clear(fault);
      const faultEnd = Date.now();
      ctx.phase("recovery");
      const redriven = v.redrive ? await redriveAll(ctx, p.catchUpS) : null;
      await Promise.race([load, ctx.sleep(p.afterS * 1000 + 120_000)]);
      const caughtUp = await ctx.waitFor(
        () => (ctx.sampler.latest()?.consumers[FAULTED]?.backlog ?? 1) === 0,
        p.catchUpS * 1000,
      );
      await load;
      const [faulted] = (await ctx.ops.faults()).faults.filter((f) => f.id === fault.id);
      const notes: string[] = [];
      if (redriven !== null)
        notes.push(`${redriven} email dead letter(s) redriven once the outage was over.`);
      return {
        checks: checks(ctx, faultEnd, caughtUp, faulted?.injected ?? 0, p, notes),
        timeToRecoverMs: caughtUp === null ? null : caughtUp - faultEnd,
        notes: [
          ...notes,
          `Lag is held to ${TOLERANCE * 100}% of the steady state or one batch timeout (max_batch_timeout, at least ${LAG_FLOOR_MS} ms), whichever is more: a consumer's lag here is mostly the wait for its batch to fill.`,
          "Throughput is compared as acknowledged ÷ offered (keeping up), since the mixed load's arrivals per consumer vary by phase; raw acks/s are in the figures.",
        ],
      };
    } finally {
      clearInterval(spreading);
    }
  },
});

export const consumerFailure = consumerFailureDay({
  name: "consumer-failure",
  summary: "the email consumer fails 30% of its messages under steady mixed load",
  hypothesis:
    "While the email consumer fails 30% of its messages, every other consumer's throughput and lag stay within 10% of the steady state; emails catch up after the fault clears; 0 lost, 0 duplicated emails.",
  method: "Set a failure-rate fault of 30% on the email consumer (POST /ops/faults) for the fault phase.",
  redrive: false,
  profiles: {
    full: { opsPerSecond: 4, steadyS: 30, faultS: 60, afterS: 30, failureRate: 0.3, catchUpS: 180 },
    ci: { opsPerSecond: 4, steadyS: 15, faultS: 15, afterS: 10, failureRate: 0.3, catchUpS: 120 },
  },
});

export const consumerOutage = consumerFailureDay({
  name: "consumer-outage",
  summary:
    "the email consumer fails every message for 60 s; the rest carry on; its dead letters are redriven",
  hypothesis:
    "While the email consumer fails every message for 60 s, every other consumer's throughput and lag stay within 10% of the steady state; what email could not deliver is dead-lettered and, redriven after the outage, delivered; 0 lost, 0 duplicated emails.",
  method: "Set a failure-rate fault of 100% on the email consumer (POST /ops/faults) for 60 s.",
  redrive: true,
  profiles: {
    full: { opsPerSecond: 4, steadyS: 30, faultS: 60, afterS: 30, failureRate: 1, catchUpS: 180 },
    ci: { opsPerSecond: 4, steadyS: 15, faultS: 15, afterS: 10, failureRate: 1, catchUpS: 120 },
  },
});

/**
 * Email's dead letters redriven, REDRIVE_BATCH per call, until its backlog is empty: messages still
 * retrying when the outage ends are delivered by their next attempt, and those whose last retry fell in
 * the outage's final seconds are dead-lettered after it — so redrive passes repeat every few seconds until
 * nothing is owed, or the catch-up time runs out.
 */
async function redriveAll(ctx: GamedayContext, catchUpS: number): Promise<number> {
  const deadline = Date.now() + catchUpS * 1000;
  let redriven = 0;
  while (Date.now() < deadline) {
    let cursor: string | undefined;
    do {
      const r = await ctx.ops.redrive({ consumer: FAULTED, limit: REDRIVE_BATCH }, cursor);
      redriven += r.redriven;
      cursor = r.nextCursor ?? undefined;
    } while (cursor);
    if ((ctx.sampler.latest()?.consumers[FAULTED]?.backlog ?? 1) === 0) break;
    await ctx.sleep(5000);
  }
  return redriven;
}

function checks(
  ctx: GamedayContext,
  faultEnd: number,
  caughtUp: number | null,
  injected: number,
  p: Profile,
  notes: string[],
): HypothesisCheck[] {
  const steady = ctx.phases.find((w) => w.label === "steady")!;
  const fault = ctx.phases.find((w) => w.label === "fault")!;
  const lags = readLags(ctx.state, steady.from);
  const out: HypothesisCheck[] = [];
  for (const consumer of Object.keys(ctx.sampler.latest()?.consumers ?? {})) {
    if (consumer === FAULTED) continue;
    const s = consumerPhase(ctx.sampler.samples, lags, consumer, steady);
    const d = consumerPhase(ctx.sampler.samples, lags, consumer, fault);
    if (!s.offered || !d.offered || s.keepUp === null || d.keepUp === null) continue;
    const seconds = (w: Window) => (w.to - w.from) / 1000;
    if (s.offered * seconds(steady) < MIN_SAMPLE || d.offered * seconds(fault) < MIN_SAMPLE) {
      notes.push(
        `${consumer}: too few facts in a phase to judge (${Math.round(s.offered * seconds(steady))} steady, ${Math.round(d.offered * seconds(fault))} during; ${MIN_SAMPLE} needed).`,
      );
      continue;
    }
    const floor = Math.max(LAG_FLOOR_MS, CONSUMERS[consumer as ConsumerName].delivery.maxBatchTimeout * 1000);
    out.push({
      name: `${consumer} keeps up during the fault`,
      expected: `acked ÷ offered ≥ ${(1 - TOLERANCE) * 100}% of steady (${(s.keepUp * 100).toFixed(0)}%)`,
      actual: `${(d.keepUp * 100).toFixed(0)}% (${d.throughput?.toFixed(1)} acks/s vs ${s.throughput?.toFixed(1)} steady)`,
      held: d.keepUp >= (1 - TOLERANCE) * Math.min(1, s.keepUp),
    });
    if (s.lagP50Ms !== null && d.lagP50Ms !== null)
      out.push({
        name: `${consumer} lag during the fault`,
        expected: `p50 ≤ ${Math.round(Math.max(s.lagP50Ms * (1 + TOLERANCE), s.lagP50Ms + floor))} ms (steady ${Math.round(s.lagP50Ms)} ms)`,
        actual: `${Math.round(d.lagP50Ms)} ms`,
        held: d.lagP50Ms <= Math.max(s.lagP50Ms * (1 + TOLERANCE), s.lagP50Ms + floor),
      });
  }
  out.push({
    name: "emails catch up after the fault clears",
    expected: `email backlog 0, within ${p.catchUpS} s of the load ending`,
    actual:
      caughtUp === null
        ? "not caught up"
        : `0, ${((caughtUp - faultEnd) / 1000).toFixed(1)} s after the fault ended`,
    held: caughtUp !== null,
  });
  // By outcome, not by error text: a message that used up its retries during the outage is recorded
  // once more as `dead-lettered`, carrying its last (injected) error, and that row is no injection.
  const injectedAttempts = ctx.state.d1<{ n: number }>(
    "SELECT count(*) AS n FROM consumer_attempts WHERE consumer = ? AND outcome = 'injected' AND started_at >= ?",
    [FAULTED, steady.from],
  )[0]?.n;
  out.push({
    name: "every injected failure is counted as injected",
    expected: "the fault's count = attempts marked injected, > 0",
    actual: `${injected} counted, ${injectedAttempts ?? 0} attempts marked`,
    held: injected > 0 && injected === injectedAttempts,
  });
  return out;
}
