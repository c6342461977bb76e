import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../../src/flows/ops/alerting";
import { createLogger } from "../../../src/platform/observability/logger";
import { aRegistration, eventually, mailboxRows } from "../../support/events";
import { deliver } from "../../support/queues";

interface DeadLetterRow {
  origin_queue: string;
  consumer: string;
  event_id: string;
  envelope: string;
  last_error: string;
  attempts: number;
  size_bytes: number;
  status: string;
}
const deadLetter = (eventId: string) =>
  env.DB.prepare("SELECT * FROM dead_letters WHERE event_id = ?").bind(eventId).first<DeadLetterRow>();

describe("dead-letter consumer", () => {
  it("stores a dead message from any consumer's DLQ with its origin queue, and acks it", async () => {
    const event = aRegistration();
    const result = await deliver("crossdock-user-stats-dlq", [{ body: event, id: "m", attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m"]);
    expect(result.retryMessages).toEqual([]);
    expect(await deadLetter(event.id)).toMatchObject({
      origin_queue: "crossdock-user-stats",
      consumer: "user-stats",
      // No failure was recorded for it (e.g. attempts already pruned): the generic reason, the DLQ's count.
      last_error: "retries exhausted",
      attempts: 1,
      size_bytes: new TextEncoder().encode(JSON.stringify(event)).byteLength,
      status: "dead",
    });
  });

  it("takes the newest recorded failure as the last error", async () => {
    const event = aRegistration();
    const at = Date.now();
    await env.DB.batch(
      [
        [1, at - 3_000, "first failure"],
        [2, at - 2_000, "second failure"],
        [3, at - 1_000, "third failure"],
      ].map(([attempt, startedAt, error]) =>
        env.DB.prepare(
          `INSERT INTO consumer_attempts (event_id, event_type, consumer, attempt, outcome, correlation_id, started_at, duration_ms, lag_ms, error)
           VALUES (?, 'user.registered', 'email', ?, 'retried', 'c', ?, 1, 1, ?)`,
        ).bind(event.id, attempt, startedAt, error),
      ),
    );
    await deliver("crossdock-email-dlq", [{ body: event, attempts: 1 }]);
    const row = await env.DB.prepare(
      "SELECT last_error, attempts, first_failed_at FROM dead_letters WHERE event_id = ?",
    )
      .bind(event.id)
      .first();
    expect(row).toEqual({ last_error: "third failure", attempts: 3, first_failed_at: at - 3_000 });
  });

  it("stores even a body that is not an envelope at all", async () => {
    const result = await deliver("crossdock-email-dlq", [{ body: "\u0000garbage", id: "g" }]);
    expect(result.explicitAcks).toEqual(["g"]);
    const row = await env.DB.prepare(
      "SELECT event_id, event_type FROM dead_letters WHERE envelope = ? AND consumer = 'email'",
    )
      .bind(JSON.stringify("\u0000garbage"))
      .first<{ event_id: string; event_type: string }>();
    expect(row?.event_type).toBe("unknown");
    expect(row?.event_id).toMatch(/^unidentified-/);
  });

  it("raises an alert when a dead letter tips a threshold, and the operators get it by email", async () => {
    const event = aRegistration();
    // A threshold of zero dead letters: this one arrival is over it.
    await deliver("crossdock-email-dlq", [{ body: event }], { ALERT_DLQ_MAX_COUNT: "0" });

    const alert = await env.DB.prepare(
      "SELECT * FROM alerts WHERE rule = 'dead-letters-count' AND state = 'firing'",
    ).first<{
      id: string;
      value: number;
      threshold: number;
    }>();
    expect(alert).toMatchObject({ threshold: 0 });
    expect(alert!.value).toBeGreaterThan(0);
    const raised = await env.DB.prepare(
      "SELECT envelope FROM outbox WHERE type = 'ops.alert.raised' AND subject = ?",
    )
      .bind(alert!.id)
      .first<{ envelope: string }>();
    expect(JSON.parse(raised!.envelope)).toMatchObject({
      data: { alertId: alert!.id, rule: "dead-letters-count" },
    });

    // Through the real email queue and consumer, to OPS_ALERT_EMAILS.
    const [mail] = await eventually(async () => {
      const rows = await mailboxRows({ to: env.OPS_ALERT_EMAILS });
      return rows.find((r) => r.text.includes(alert!.id)) ? rows : null;
    });
    expect(mail).toMatchObject({ template: "ops-alert", subject: "[Crossdock alert] dead-letters-count" });

    // Still firing: evaluating again raises nothing new. Back under the threshold, it resolves.
    const log = createLogger({ test: "alerts" });
    expect((await evaluateAlerts({ ...env, ALERT_DLQ_MAX_COUNT: "0" }, Date.now(), log)).raised).toEqual([]);
    expect((await evaluateAlerts(env, Date.now(), log)).resolved).toContain("dead-letters-count");
  });
});
