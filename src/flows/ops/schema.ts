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
