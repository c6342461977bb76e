/**
 * What crossdock's own code costs per request, without HTTP and without D1: crossdock's production
 * entry point (everything `src/index.ts` exports, unchanged) plus one route, `GET /__overhead?n=&which=`,
 * that makes `n` `GET /v1/me` calls in this isolate, either through crossdock's `fetch` (metering,
 * middleware, router, validation, authentication, handler) or through the same-SQL baseline's handler,
 * both against an in-memory D1 stand-in that answers the session lookup at once. The difference in
 * workerd CPU between the two is the framework's cost alone, measured by `bench/overhead.ts`; through
 * HTTP and local D1 (`npm run bench`) it is a small share of a request's CPU, lost in their noise.
 */
import crossdock from "../../src/index";
import { me as sameSqlMe } from "../same-sql-worker/me";

export {
  DedupStore,
  FaultStore,
  OrderSaga,
  OutboxSweeper,
  PaymentSandbox,
  RedriveRun,
} from "../../src/index";

/** The one row the session lookup selects (`principalUserColumns`' order), for any token. */
const USER_ROW = ["usr_overhead", "buyer@example.test", "Overhead Buyer", "buyer", 1_700_000_000_000];

/**
 * A D1 statement that answers `raw()` (how drizzle runs a select with fields, and how the baseline
 * runs its statement) with the user row. Anything else answers nothing, so a change that reads the
 * session another way makes `/v1/me` a 401 and the harness refuses the run, rather than measuring a
 * different path.
 */
class StandInStatement {
  bind(..._values: unknown[]) {
    return this;
  }
  async raw() {
    return [USER_ROW];
  }
  async all() {
    return { results: [], success: true, meta: { rows_read: 0, rows_written: 0 } };
  }
  async run() {
    return this.all();
  }
  async first() {
    return null;
  }
}

const standInDb = {
  prepare: (_sql: string) => new StandInStatement(),
  batch: async (statements: unknown[]) => statements.map(() => ({ results: [], success: true, meta: {} })),
  exec: async () => ({ count: 0, duration: 0 }),
  withSession: () => standInDb,
  dump: async () => new ArrayBuffer(0),
};

// One env for every call, as the runtime gives one per isolate: crossdock's per-env caches
// (the metered bindings, drizzle, prepared statements) then work as they do in production.
let standInEnv: Env | undefined;

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname !== "/__overhead") return crossdock.fetch(request, env, ctx);
    standInEnv ??= { ...env, DB: standInDb } as unknown as Env;
    const n = Number(url.searchParams.get("n"));
    const viaCrossdock = url.searchParams.get("which") === "crossdock";
    let ok = 0;
    for (let i = 0; i < n; i++) {
      // 64 distinct tokens, as the HTTP scenario cycles 64 sessions.
      // Typed as the runtime's incoming request, which is what crossdock's `fetch` is declared to take.
      const call = new Request("http://localhost/v1/me", {
        headers: { authorization: `Bearer cds_overhead${i % 64}` },
      }) as Request<unknown, IncomingRequestCfProperties>;
      const res = viaCrossdock
        ? await crossdock.fetch(call, standInEnv, ctx)
        : await sameSqlMe(call, standInEnv, new URL(call.url));
      await res.arrayBuffer();
      if (res.status === 200) ok++;
    }
    return Response.json({ ok });
  },
  queue: crossdock.queue,
  scheduled: crossdock.scheduled,
} satisfies ExportedHandler<Env>;
