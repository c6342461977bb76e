/**
 * The bench worker of `npm run bench:d1`: `POST /run {flow, lanes, ms}` calls one write shape
 * (./flows.ts) from `lanes` loops at once until `ms` have passed, and answers what D1 committed in that
 * window. The loops live here, not in Node, so the load generator's own HTTP work is not what saturates
 * first. Every write batch goes through a counting wrapper of the D1 binding that adds up D1's own
 * `meta.rows_written`. Bench only: nothing here is deployed.
 */
import { callFlow, FLOWS, type Flow } from "./flows";

/** What the counting wrapper of the D1 binding adds up over one window. */
interface Counter {
  /** D1 batches committed, the statements in them, and rows they wrote by D1's own count. */
  batches: number;
  statements: number;
  rowsWritten: number;
  /** Batches D1 refused (a consumer swallows its own; they are counted here all the same). */
  failedBatches: number;
  firstError: string | null;
  /** Each committed batch's time in D1 as the worker saw it, in ms. */
  batchMs: number[];
}

export interface WindowResult extends Counter {
  flow: Flow;
  lanes: number;
  wallMs: number;
  /** Flow calls that returned (a placement, a consumer invocation). */
  calls: number;
}

/** The D1 binding with `batch` counted; everything else is the binding's own. */
function counted(db: D1Database, counter: Counter): D1Database {
  return {
    prepare: (query: string) => db.prepare(query),
    exec: (query: string) => db.exec(query),
    dump: () => db.dump(),
    withSession: (constraint?: string) => db.withSession(constraint),
    async batch<T>(statements: D1PreparedStatement[]) {
      const t0 = performance.now();
      try {
        const results = await db.batch<T>(statements);
        counter.batchMs.push(performance.now() - t0);
        counter.batches++;
        counter.statements += statements.length;
        for (const r of results) counter.rowsWritten += r.meta.rows_written ?? 0;
        return results;
      } catch (err) {
        counter.failedBatches++;
        counter.firstError ??= String((err as Error).message ?? err).slice(0, 300);
        throw err;
      }
    },
  } as D1Database;
}

async function runWindow(env: Env, flow: Flow, lanes: number, ms: number): Promise<WindowResult> {
  const counter: Counter = {
    batches: 0,
    statements: 0,
    rowsWritten: 0,
    failedBatches: 0,
    firstError: null,
    batchMs: [],
  };
  // A fresh binding object per window: getDb caches drizzle per binding, and this one counts for it.
  const benchEnv = { ...env, DB: counted(env.DB, counter) };
  let calls = 0;
  let n = 0;
  const t0 = performance.now();
  const deadline = t0 + ms;
  const lane = async () => {
    while (performance.now() < deadline) {
      await callFlow(flow, benchEnv, n++).catch((err: unknown) => {
        counter.firstError ??= String((err as Error).message ?? err).slice(0, 300);
      });
      calls++;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { flow, lanes, wallMs: performance.now() - t0, calls, ...counter };
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method !== "POST" || pathname !== "/run") return new Response("not found", { status: 404 });
    const { flow, lanes, ms } = (await request.json()) as { flow: Flow; lanes: number; ms: number };
    if (!FLOWS.includes(flow)) return Response.json({ error: `unknown flow ${flow}` }, { status: 400 });
    return Response.json(await runWindow(env, flow, lanes, ms));
  },
} satisfies ExportedHandler<Env>;
