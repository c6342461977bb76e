import type { GamedayReport, PhaseFigure } from "../../gameday/lib/report-model";
import { mulberry32 } from "../../scripts/demo-data/prng";

/** 2026-12-05T10:00:00Z, the fixture run's start. */
export const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);
const S = 1000;
const FAULT = { from: T0 + 45 * S, to: T0 + 105 * S };
/** When the email backlog is back to its steady level: 41 s after the fault's end. */
const DRAINED = FAULT.to + 41 * S;
export const CONSUMERS = ["email", "order-projection", "settlement-entries", "analytics"] as const;

/**
 * A realistic 3-minute `consumer-failure` run, sampled every 2 s: the email consumer fails every
 * delivery for a minute, its backlog builds and drains after; the other consumers and the sync routes
 * carry on. One check fails (the backlog drained in 41 s, not 30), so the verdict is `failed`.
 */
export function gamedayReportFixture(): GamedayReport {
  const rnd = mulberry32(1234);
  const jitter = (base: number, spread: number) => Math.max(0, base + (rnd() - 0.5) * 2 * spread);
  const t = Array.from({ length: 91 }, (_, i) => T0 + i * 2 * S);
  const inFault = (at: number) => at >= FAULT.from && at < FAULT.to;

  // Email: 10 facts/s arrive; none acknowledged during the fault; 25/s while draining.
  let backlog = 3;
  const email = { backlog: [] as number[], age: [] as number[], rate: [] as number[] };
  for (const at of t) {
    const draining = at >= FAULT.to && at < DRAINED;
    const rate = inFault(at) ? 0 : draining ? jitter(24.5, 1.5) : jitter(10, 1);
    backlog = inFault(at)
      ? backlog + jitter(20, 2)
      : draining
        ? Math.max(3, backlog - 2 * (rate - 10))
        : jitter(3, 2);
    email.backlog.push(Math.round(backlog));
    email.rate.push(Math.round(rate * 10) / 10);
    email.age.push(
      inFault(at)
        ? (at - FAULT.from) / S + 1
        : draining
          ? Math.max(1, 61 - ((at - FAULT.to) / (DRAINED - FAULT.to)) * 60)
          : jitter(0.8, 0.4),
    );
  }
  const steadyConsumer = (rate: number, queue: number) => ({
    backlog: t.map(() => Math.round(jitter(queue, queue / 2))),
    age: t.map(() => Math.round(jitter(0.6, 0.3) * 10) / 10),
    rate: t.map(() => Math.round(jitter(rate, rate / 10) * 10) / 10),
  });
  const projection = steadyConsumer(20, 6);
  const settlement = steadyConsumer(8, 2);
  const analytics = steadyConsumer(40, 25);
  // One sample lost to a slow scrape: a gap, not a zero.
  analytics.rate[30] = Number.NaN;
  const p99 = (base: number, bump: number) =>
    t.map((at) => Math.round(jitter(at >= FAULT.to && at < DRAINED ? base + bump : base, base / 8)));

  const series: GamedayReport["series"] = {
    t,
    backlog: {
      email: email.backlog,
      "order-projection": projection.backlog,
      "settlement-entries": settlement.backlog,
      analytics: analytics.backlog,
    },
    oldestAgeS: {
      email: email.age.map((a) => Math.round(a * 10) / 10),
      "order-projection": projection.age,
      "settlement-entries": settlement.age,
      analytics: analytics.age,
    },
    throughput: {
      email: email.rate,
      "order-projection": projection.rate,
      "settlement-entries": settlement.rate,
      analytics: analytics.rate.map((r) => (Number.isNaN(r) ? null : r)),
    },
    syncP99Ms: { me: p99(24, 6), search: p99(58, 14), quote: p99(44, 38) },
  };

  const mean = (values: (number | null)[], from: number, to: number) => {
    const xs = values.filter((v, i): v is number => v !== null && t[i]! >= from && t[i]! < to);
    return xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  };
  const figure = (metric: string, unit: string, values: (number | null)[]): PhaseFigure => ({
    metric,
    unit,
    steady: mean(values, T0, FAULT.from),
    during: mean(values, FAULT.from, FAULT.to),
    after: mean(values, FAULT.to, T0 + 181 * S),
  });

  return {
    id: "consumer-failure-2026-12-05T10-00-00Z-1234",
    scenario: "consumer-failure",
    seed: 1234,
    commit: "f0bb016-dirty",
    startedAt: T0,
    endedAt: T0 + 180 * S,
    hypothesis:
      "If the email consumer fails every delivery for one minute under steady order load, no email is lost or sent twice, the other consumers and the sync routes are unaffected, and the email backlog drains within 30 s of the consumer's recovery.",
    steadyState:
      "10 orders/s placed; every consumer's backlog under 50 facts and its oldest fact under 5 s; sync p99 under 200 ms.",
    method: [
      "Drive the mixed load for 45 s and record the steady state.",
      "Make the email consumer answer every delivery with a retryable error for 60 s.",
      "Stop the fault, keep the load for 75 s, and check the history against the final state.",
    ],
    abortCondition: "Any consumer other than email with a backlog over 1,000 facts, or sync p99 over 1 s.",
    rollback: "Clear the fault switch; the queue redelivers the backlog on its own.",
    verdict: "failed",
    checks: [
      { name: "no acknowledged email lost", expected: "0", actual: "0", held: true },
      { name: "no email sent twice (duplicated effects)", expected: "0", actual: "0", held: true },
      {
        name: "other consumers' backlog stays under 50",
        expected: "≤ 50 facts",
        actual: "max 38 facts",
        held: true,
      },
      { name: "email backlog drained after the fault", expected: "≤ 30 s", actual: "41 s", held: false },
      { name: "sync p99 during the fault", expected: "≤ 200 ms", actual: "86 ms", held: true },
    ],
    phases: [
      { label: "steady", from: T0, to: FAULT.from },
      { label: "fault", from: FAULT.from, to: FAULT.to },
      { label: "recovery", from: FAULT.to, to: T0 + 180 * S },
    ],
    faults: [{ label: "email consumer failing", ...FAULT }],
    series,
    phaseFigures: [
      figure("email backlog", "facts", series.backlog.email!),
      figure("email oldest fact", "s", series.oldestAgeS.email!),
      figure("email throughput", "acks/s", series.throughput.email!),
      figure("analytics throughput", "acks/s", series.throughput.analytics!),
      figure("quote p99", "ms", series.syncP99Ms.quote!),
      { metric: "orders placed", unit: "orders/s", steady: 10, during: 9.9, after: 10.1 },
    ],
    flows: [
      {
        flow: "signup",
        acked: 36,
        rejected: 0,
        indeterminate: 0,
        inFlightAtKill: 7,
        recovered: 7,
        lost: 0,
        duplicated: 0,
        unexpected: 1,
      },
      {
        flow: "order",
        acked: 1794,
        rejected: 12,
        indeterminate: 0,
        inFlightAtKill: 596,
        recovered: 596,
        lost: 0,
        duplicated: 0,
        unexpected: 0,
      },
      {
        flow: "events",
        acked: 180,
        rejected: 0,
        indeterminate: 0,
        inFlightAtKill: 0,
        recovered: 0,
        lost: 0,
        duplicated: 0,
        unexpected: 0,
      },
    ],
    invariants: [
      { flow: "signup", invariant: "one welcome email per sign-up", checked: 36, violations: 0 },
      { flow: "signup", invariant: "every account was asked for", checked: 1, violations: 1 },
      { flow: "order", invariant: "one email per order fact", checked: 1794, violations: 0 },
      { flow: "order", invariant: "reaches a terminal status", checked: 1794, violations: 0 },
      { flow: "events", invariant: "accepted event is counted", checked: 9000, violations: 0 },
    ],
    findings: [
      {
        flow: "signup",
        invariant: "every account was asked for",
        kind: "unexpected",
        subject: "gd-1234-signup-17@example.test",
        detail: "not in the history",
      },
    ],
    retries: [
      {
        consumer: "email",
        messages: 1830,
        attempts: 2964,
        retriesPerMessage: 0.62,
        injected: 1134,
        deadLettered: 0,
      },
      {
        consumer: "order-projection",
        messages: 3602,
        attempts: 3602,
        retriesPerMessage: 0,
        injected: 0,
        deadLettered: 0,
      },
      {
        consumer: "settlement-entries",
        messages: 1441,
        attempts: 1441,
        retriesPerMessage: 0,
        injected: 0,
        deadLettered: 0,
      },
      {
        consumer: "analytics",
        messages: 7205,
        attempts: 7205,
        retriesPerMessage: 0,
        injected: 0,
        deadLettered: 0,
      },
    ],
    deadLetters: { stored: 0, redriven: 0, redriveDeliveredOnce: null },
    timeToRecoverMs: 41 * S,
    cost: null,
    notes: [
      "Failures were injected in the email consumer only: every delivery answered with a retryable error.",
      "Run on a 2-core machine; absolute latencies are not comparable with production.",
    ],
  };
}
