/**
 * The ops flow's own tables. (The alerts table sits with the backbone's tables it watches, in
 * src/platform/events/schema.ts.)
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A game day's verdict: its hypothesis held, failed, or the run was stopped by its abort condition. */
export const GAMEDAY_VERDICTS = ["held", "failed", "aborted"] as const;
export type GamedayVerdict = (typeof GAMEDAY_VERDICTS)[number];

export interface GamedayCheck {
  name: string;
  expected: string;
  actual: string;
  held: boolean;
}

/** What the checker found across every flow: subjects with a lost, duplicated or unexpected effect. */
export interface GamedayTotals {
  lost: number;
  duplicated: number;
  unexpected: number;
}

/**
 * Game-day runs recorded by the harness (gameday/) in the Crossdock it ran against, listed at
 * `GET /ops/gamedays`. The full report stays on the harness's disk (`report_path`); the Markdown is
 * kept here so a run can be read without that disk.
 */
export const gamedayRuns = sqliteTable(
  "gameday_runs",
  {
    id: text("id").primaryKey(),
    scenario: text("scenario").notNull(),
    verdict: text("verdict", { enum: GAMEDAY_VERDICTS }).notNull(),
    hypothesis: text("hypothesis").notNull(),
    checksHeld: integer("checks_held").notNull(),
    checksTotal: integer("checks_total").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at").notNull(),
    summary: text("summary", { mode: "json" })
      .$type<{ checks: GamedayCheck[]; totals: GamedayTotals }>()
      .notNull(),
    markdown: text("markdown").notNull(),
    reportPath: text("report_path").notNull(),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [
    // The list's keyset (newest first), alone or under one filter.
    index("gameday_runs_started_idx").on(t.startedAt, t.id),
    index("gameday_runs_scenario_idx").on(t.scenario, t.startedAt, t.id),
    index("gameday_runs_verdict_idx").on(t.verdict, t.startedAt, t.id),
  ],
);

/** Who an audited action was done by: the admin's user id and email at the time. */
export interface AuditActor {
  id: string;
  email: string | null;
}

/**
 * Every operator action (redrive, discard, fault, backlog, settlement run, game-day record, alert
 * evaluation), one row per attempt that passed authentication, whatever its outcome: who, what, when, the
 * request id that correlates it with the logs, and the answer's status. Written by the `adminAction`
 * middleware that declares the route an action (src/routes/ops/audit.ts); read at `GET /ops/audit`.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    actorId: text("actor_id").notNull(),
    actorEmail: text("actor_email"),
    /** e.g. "dead-letters.redrive": the route's declared action. */
    action: text("action").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    /** The route's path parameters (the thing acted on) and request body, as JSON, capped in size. */
    details: text("details", { mode: "json" })
      .$type<{ params: Record<string, string>; body: unknown }>()
      .notNull(),
    requestId: text("request_id").notNull(),
    status: integer("status").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at, t.id),
    index("audit_log_action_idx").on(t.action, t.at, t.id),
    index("audit_log_actor_idx").on(t.actorId, t.at, t.id),
  ],
);
