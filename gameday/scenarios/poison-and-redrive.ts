/**
 * `npm run gameday -- poison-and-redrive`: a fraction of the email consumer's messages are poisoned;
 * they must reach the dead letters within the consumer's retries, the dead-letter alerts must fire on
 * age and size, and once the fault is cleared a throttled bulk redrive must deliver each exactly once.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { CONSUMERS } from "../../src/flows";
import type { GamedayContext, ScenarioDefinition } from "../lib/gameday";
import type { HypothesisCheck } from "../lib/report-model";

interface Profile {
  opsPerSecond: number;
  orders: number;
  poisonRate: number;
  /** Dead letters per bulk-redrive call, and calls per second: the throttle. */
  redriveBatch: number;
  redrivePerSecond: number;
  /** How long the poisoned messages may take to exhaust their retries. */
  deadLetterTimeoutS: number;
  alertTimeoutS: number;
}

const CONSUMER = "email";
const AGE_RULE = "dead-letters-oldest-age";
const SIZE_RULES = ["dead-letters-count", "dead-letters-size"];

export const poisonAndRedrive: ScenarioDefinition<Profile> = {
  name: "poison-and-redrive",
  summary: "poison a fraction of email's messages; dead letters, alerts, then a throttled redrive",
  hypothesis:
    "Poisoned messages reach the dead letters within the consumer's max retries; the dead-letter alerts fire on age and on size; after the fault clears, a throttled bulk redrive delivers each of them exactly once.",
  steadyState: "A steady mixed load whose emails are all sent once; no dead letters, no alert firing.",
  method: [
    "Start the mixed load and set a poison fault on the email consumer (a fixed fraction of messages, chosen by event id, fails on every attempt).",
    "Wait until every poisoned message is a dead letter and the rest are sent.",
    "Evaluate the alert rules until the dead-letter age and size (count or bytes) alerts fire.",
    "Clear the fault; redrive the email dead letters in batches at a fixed rate (POST /ops/dead-letters/redrive with limit and cursor).",
    "Wait until the email backlog is empty; check each redriven message was delivered exactly once.",
  ],
  abortCondition:
    "The runtime fails its health check for 30 s, or the poisoned messages are not dead letters within their timeout.",
  rollback: "DELETE /ops/faults clears the poison, on success, failure, abort or Ctrl-C alike.",
  profiles: {
    full: {
      opsPerSecond: 3,
      orders: 150,
      poisonRate: 0.2,
      redriveBatch: 10,
      redrivePerSecond: 2,
      deadLetterTimeoutS: 600,
      alertTimeoutS: 600,
    },
    ci: {
      opsPerSecond: 3,
      orders: 60,
      poisonRate: 0.2,
      redriveBatch: 5,
      redrivePerSecond: 2,
      deadLetterTimeoutS: 300,
      alertTimeoutS: 300,
    },
  },
  load: () => ({ orders: 0, buyers: 4, products: 8, importRows: 0, imports: 0, reports: 0, concurrency: 6 }),
  figurePhases: ["steady", "poison", "redrive"],
  /**
   * Alert thresholds low enough for a run of minutes (the defaults, 240 s and 100 letters, suit
   * production); only for a runtime the harness starts. An attached one alerts on its own settings.
   */
  vars: { ALERT_DLQ_MAX_AGE_SECONDS: "30", ALERT_DLQ_MAX_COUNT: "5" },

  async run(ctx: GamedayContext, p: Profile) {
    const since = Date.now();
    const dead = () =>
      ctx.state.d1<{ n: number }>(
        "SELECT count(*) AS n FROM dead_letters WHERE consumer = ? AND status = 'dead' AND first_failed_at >= ?",
        [CONSUMER, since],
      )[0]?.n ?? 0;
    const backlog = () => ctx.sampler.latest()?.consumers[CONSUMER]?.backlog ?? 0;

    ctx.phase("steady");
    const load = ctx.startLoad(p.opsPerSecond, p.orders);
    await ctx.sleep(10_000);
    const poison = await ctx.inject(
      { kind: "poison", consumer: CONSUMER, rate: p.poisonRate },
      3600,
      `${CONSUMER} poisoned ${p.poisonRate * 100}%`,
    );
    ctx.phase("poison");
    await load;
    // Every email not poisoned is sent; every poisoned one is a dead letter (the backlog counts both).
    const settled = await ctx.waitFor(
      () => dead() > 0 && backlog() === dead(),
      p.deadLetterTimeoutS * 1000,
      2000,
    );
    if (settled === null) ctx.abort(`poisoned messages not dead-lettered within ${p.deadLetterTimeoutS} s`);
    const stored = dead();
    const maxRetries = CONSUMERS[CONSUMER].delivery.maxRetries;
    const letters = ctx.state.d1<{ event_id: string; attempts: number; last_error: string }>(
      "SELECT event_id, attempts, last_error FROM dead_letters WHERE consumer = ? AND first_failed_at >= ?",
      [CONSUMER, since],
    );

    // The every-minute cron evaluates the rules too; evaluating here only saves waiting for it.
    const fired = new Set<string>();
    const bothFired = () => fired.has(AGE_RULE) && SIZE_RULES.some((r) => fired.has(r));
    const alertDeadline = Date.now() + p.alertTimeoutS * 1000;
    while (!bothFired() && Date.now() < alertDeadline) {
      await ctx.ops.evaluateAlerts();
      for (const a of await ctx.ops.alerts())
        if (a.state === "firing" && Date.parse(a.raisedAt) >= since) fired.add(a.rule);
      if (!bothFired()) await ctx.sleep(5000);
    }

    await ctx.clear(poison);
    ctx.phase("redrive");
    const redriveStarted = Date.now();
    let redriven = 0;
    const failed: string[] = [];
    let cursor: string | undefined;
    do {
      const t = Date.now();
      const r = await ctx.ops.redrive({ consumer: CONSUMER, limit: p.redriveBatch }, cursor);
      redriven += r.redriven;
      failed.push(...r.failed.map((f) => `${f.id}: ${f.reason}`));
      cursor = r.nextCursor ?? undefined;
      await sleep(Math.max(0, 1000 / p.redrivePerSecond - (Date.now() - t)));
    } while (cursor);
    const drained = await ctx.waitFor(() => backlog() === 0, 300_000);
    const redriveMs = (drained ?? Date.now()) - redriveStarted;

    const ids = letters.map((l) => l.event_id);
    const perEvent = ids.length
      ? ctx.state.d1<{ event_id: string; acked: number; sent: number }>(
          `SELECT e.value AS event_id,
                  (SELECT count(*) FROM consumer_attempts a WHERE a.consumer = ? AND a.event_id = e.value AND a.outcome = 'acked') AS acked,
                  (SELECT count(*) FROM mailbox m WHERE m.event_id = e.value) AS sent
             FROM json_each(?) e`,
          [CONSUMER, JSON.stringify(ids)],
        )
      : [];
    const once = perEvent.filter((e) => e.acked === 1 && e.sent >= 1).length;
    const twice = perEvent.filter((e) => e.acked > 1).length;
    const checks: HypothesisCheck[] = [
      {
        name: "poisoned messages reach the dead letters within max retries",
        expected: `all poisoned dead-lettered, each after ≤ ${maxRetries + 1} attempts, error "injected:…"`,
        actual: `${stored} dead letters; most attempts ${Math.max(0, ...letters.map((l) => l.attempts))}; ${letters.filter((l) => !l.last_error.includes("injected")).length} with another error`,
        held:
          stored > 0 &&
          letters.every((l) => l.attempts <= maxRetries + 1 && l.last_error.includes("injected")),
      },
      {
        name: "the dead-letter age alert fires",
        expected: AGE_RULE,
        actual: fired.has(AGE_RULE) ? "fired" : "did not fire",
        held: fired.has(AGE_RULE),
      },
      {
        name: "a dead-letter size alert fires",
        expected: SIZE_RULES.join(" or "),
        actual: SIZE_RULES.filter((r) => fired.has(r)).join(", ") || "none fired",
        held: SIZE_RULES.some((r) => fired.has(r)),
      },
      {
        name: "the throttled redrive delivers each exactly once",
        expected: `${stored} redriven, each acknowledged once and emailed`,
        actual: `${redriven} redriven in batches of ${p.redriveBatch} at ${p.redrivePerSecond}/s (${(redriveMs / 1000).toFixed(1)} s to an empty backlog); ${once} once, ${twice} more than once; ${failed.length} failed`,
        held:
          redriven === stored && once === stored && twice === 0 && failed.length === 0 && drained !== null,
      },
    ];
    return {
      checks,
      timeToRecoverMs: drained === null ? null : drained - redriveStarted,
      deadLetters: { stored, redriven, redriveDeliveredOnce: once === stored && twice === 0 },
      notes: failed.length ? [`Redrive failures: ${failed.slice(0, 5).join("; ")}`] : [],
    };
  },
};
