import { type Distribution, distribution } from "../lib/stats";
import type { EventsConfig } from "./config";
import { waitFor } from "./poll";
import type { EventsRuntime } from "./runtime";

export interface RelayResult {
  signups: number;
  concurrency: number;
  /** Sign-ups per second the worker answered, end to end from Node. */
  signupsPerSec: number;
  /** Client-side latency of POST /v1/auth/signup, ms. */
  signupLatencyMs: Distribution;
  /** outbox.published_at − outbox.created_at per event, ms (created_at: the request's start). */
  outboxLatencyMs: Distribution;
  /** The relay's own `event.relayed` durationMs: commit → sent to every queue and marked published. */
  relayLogMs: Distribution;
}

/** Sign-ups may take a while (PBKDF2 at Workers' cap); past this the run is stopped, not waited on. */
const SIGNUP_PHASE_LIMIT_MS = 600_000;

/**
 * Drives `signups` sign-ups through POST /v1/auth/signup, `concurrency` at a time, then reads the outbox:
 * every event must be published (the relay runs after the response, in waitUntil, so this waits for
 * it, with a bound) and every one consumed by user-stats and email. Throws when any is left behind.
 */
export async function measureRelay(rt: EventsRuntime, config: EventsConfig): Promise<RelayResult> {
  const tag = Date.now().toString(36);
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < config.signups && failures.length === 0) {
      const i = next++;
      if (performance.now() - started > SIGNUP_PHASE_LIMIT_MS) {
        failures.push(`time limit of ${SIGNUP_PHASE_LIMIT_MS / 1000} s reached after ${i} sign-ups`);
        return;
      }
      const body = JSON.stringify({
        email: `bench-${tag}-${i}@example.com`,
        password: "correct horse battery",
        name: `Bench ${i}`,
        role: i % 2 === 0 ? "buyer" : "merchant",
      });
      const t0 = performance.now();
      const res = await fetch(new URL("/v1/auth/signup", rt.crossdock), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      latencies.push(performance.now() - t0);
      if (res.status !== 201) failures.push(`sign-up ${i}: ${res.status} ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, worker));
  const elapsedSec = (performance.now() - started) / 1000;
  if (failures.length > 0) throw new Error(`Sign-ups failed: ${failures.join("; ")}`);

  const outboxCounts = () =>
    rt.query
      .prepare(
        "SELECT count(*) AS total, count(published_at) AS published FROM outbox WHERE type = 'user.registered'",
      )
      .first<{ total: number; published: number }>();
  const counts = await waitFor(outboxCounts, (c) => c?.published === config.signups, 30_000);
  if (counts?.total !== config.signups || counts.published !== config.signups) {
    throw new Error(
      `Relay left events behind: ${counts?.published ?? 0} of ${counts?.total ?? 0} outbox rows published ` +
        `after 30 s, for ${config.signups} sign-ups.`,
    );
  }
  const rows = await rt.query
    .prepare("SELECT published_at - created_at AS ms FROM outbox WHERE type = 'user.registered'")
    .all<{ ms: number }>();

  const consumed = () =>
    rt.query
      .prepare(
        `SELECT (SELECT count(*) FROM processed_events WHERE consumer = 'user-stats') AS stats,
                (SELECT count(*) FROM mailbox) AS mails`,
      )
      .first<{ stats: number; mails: number }>();
  const done = await waitFor(
    consumed,
    (c) => c?.stats === config.signups && c.mails === config.signups,
    120_000,
  );
  if (done?.stats !== config.signups || done.mails !== config.signups) {
    throw new Error(
      `Consumers left events behind: user-stats processed ${done?.stats}, email sent ${done?.mails}, ` +
        `of ${config.signups}, after 120 s.`,
    );
  }
  return {
    signups: config.signups,
    concurrency: config.concurrency,
    signupsPerSec: config.signups / elapsedSec,
    signupLatencyMs: distribution(latencies),
    outboxLatencyMs: distribution(rows.results.map((r) => r.ms)),
    relayLogMs: distribution(rt.relayDurationsMs),
  };
}
