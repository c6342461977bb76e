import type { RouteHandler, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { listFingerprint } from "../../flows/ops/cursor";
import { gamedayRuns } from "../../flows/ops/schema";
import { getDb } from "../../platform/db/client";
import { ConflictError, NotFoundError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import type {
  GamedayListQuery,
  getGamedayRoute,
  listGamedaysRoute,
  recordGamedayRoute,
} from "./gamedays.routes";
import { afterCursor, iso, type Keyset, toPage } from "./ops.shared";

type Row = typeof gamedayRuns.$inferSelect;

const toGamedayView = (row: Row) => ({
  id: row.id,
  scenario: row.scenario,
  verdict: row.verdict,
  hypothesis: row.hypothesis,
  startedAt: iso(row.startedAt),
  endedAt: iso(row.endedAt),
  checksHeld: row.checksHeld,
  checksTotal: row.checksTotal,
  totals: row.summary.totals,
  reportPath: row.reportPath,
});

export const recordGameday: RouteHandler<typeof recordGamedayRoute, AppEnv> = async (c) => {
  const body = c.req.valid("json");
  const [row] = await getDb(c.env.DB)
    .insert(gamedayRuns)
    .values({
      id: body.id,
      scenario: body.scenario,
      verdict: body.verdict,
      hypothesis: body.hypothesis,
      checksHeld: body.checks.filter((check) => check.held).length,
      checksTotal: body.checks.length,
      startedAt: Date.parse(body.startedAt),
      endedAt: Date.parse(body.endedAt),
      summary: { checks: body.checks, totals: body.totals },
      markdown: body.markdown,
      reportPath: body.reportPath,
      recordedAt: Date.now(),
    })
    .onConflictDoNothing({ target: gamedayRuns.id })
    .returning();
  if (!row)
    throw new ConflictError(
      `A game-day run '${body.id}' is already recorded; a run is recorded once.`,
      "gameday-exists",
    );
  c.get("log").info("gameday.recorded", { gamedayId: row.id, scenario: row.scenario, verdict: row.verdict });
  return c.json(toGamedayView(row), 201);
};

/**
 * One page of game-day runs, newest first: GET /ops/gamedays and the console's Game days page.
 *
 * @throws InvalidCursorError for a cursor from another list or filters.
 */
export async function gamedaysPage(env: Env, query: z.output<typeof GamedayListQuery>) {
  const { limit, cursor, ...filters } = query;
  const keyset: Keyset = {
    time: gamedayRuns.startedAt,
    id: gamedayRuns.id,
    direction: "desc",
    fingerprint: listFingerprint("gamedays", filters),
  };
  const rows = await getDb(env.DB)
    .select()
    .from(gamedayRuns)
    .where(
      and(
        filters.scenario === undefined ? undefined : eq(gamedayRuns.scenario, filters.scenario),
        filters.verdict === undefined ? undefined : eq(gamedayRuns.verdict, filters.verdict),
        afterCursor(keyset, cursor),
      ),
    )
    .orderBy(desc(gamedayRuns.startedAt), desc(gamedayRuns.id))
    .limit(limit + 1);
  const page = toPage(rows, limit, (r) => [r.startedAt, r.id], keyset.fingerprint);
  return { items: page.items.map(toGamedayView), nextCursor: page.nextCursor };
}

/** One run with its checks and report: GET /ops/gamedays/{id} and the console's page of a run. */
export async function readGameday(env: Env, id: string) {
  const row = await getDb(env.DB).select().from(gamedayRuns).where(eq(gamedayRuns.id, id)).get();
  if (!row) throw new NotFoundError("game-day run", id);
  return { ...toGamedayView(row), checks: row.summary.checks, markdown: row.markdown };
}

export const listGamedays: RouteHandler<typeof listGamedaysRoute, AppEnv> = async (c) =>
  c.json(await gamedaysPage(c.env, c.req.valid("query")), 200);

export const getGameday: RouteHandler<typeof getGamedayRoute, AppEnv> = async (c) =>
  c.json(await readGameday(c.env, c.req.valid("param").id), 200);
