/**
 * The drain-rate baseline: a plain queue consumer doing, per queue batch, the D1 writes crossdock's
 * runtime and user-stats consumer do — the signup_stats_daily upsert, a processed_events marker and a
 * consumer_attempts row per message, in one D1 batch, then ack — with no parsing, upcasting,
 * validation, dedup check, logging or ORM. The SQL is drizzle's own text for those inserts, so both
 * write identical rows; what crossdock costs beyond this worker is the price of its runtime.
 */
import { BARE_CONSUMER } from "./names";

interface BareEnv {
  DB: D1Database;
}

/** Only the fields the writes need; the body is trusted, as nothing here validates it. */
interface Envelope {
  id: string;
  type: string;
  time: string;
  correlationid: string;
  data: { role: string };
}

const UPSERT_STATS =
  'insert into "signup_stats_daily" ("day", "role", "count") values (?, ?, ?) on conflict ' +
  '("signup_stats_daily"."day", "signup_stats_daily"."role") do update set "count" = "signup_stats_daily"."count" + 1';
const INSERT_PROCESSED =
  'insert into "processed_events" ("consumer", "event_id", "processed_at") values (?, ?, ?)';
const INSERT_ATTEMPT =
  'insert into "consumer_attempts" ("id", "event_id", "event_type", "consumer", "attempt", "outcome", ' +
  '"correlation_id", "started_at", "duration_ms", "lag_ms", "error") values (null, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

export default {
  async queue(batch, env) {
    const started = Date.now();
    const upsert = env.DB.prepare(UPSERT_STATS);
    const processed = env.DB.prepare(INSERT_PROCESSED);
    const attempt = env.DB.prepare(INSERT_ATTEMPT);
    const statements: D1PreparedStatement[] = [];
    for (const msg of batch.messages) {
      const e = msg.body as Envelope;
      const lagMs = Math.max(0, started - Date.parse(e.time));
      statements.push(
        upsert.bind(e.time.slice(0, 10), e.data.role, 1),
        processed.bind(BARE_CONSUMER, e.id, started),
        attempt.bind(
          e.id,
          e.type,
          BARE_CONSUMER,
          msg.attempts,
          "acked",
          e.correlationid,
          started,
          Date.now() - started,
          lagMs,
          null,
        ),
      );
    }
    // A failed commit throws, and the Queues runtime retries the whole batch.
    await env.DB.batch(statements);
    batch.ackAll();
  },
} satisfies ExportedHandler<BareEnv, unknown>;
