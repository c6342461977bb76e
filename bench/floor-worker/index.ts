/**
 * The benchmark's floor: what a person would write by hand for the same answers, importing nothing of
 * Crossdock (no query builder, no planner, no schema): the fastest SQL for the answer and the least
 * work around it. bench/lib/parity.ts checks its answers against Crossdock's before any load, so the
 * floor cannot win by answering less. Scenarios without a floor here (quote: its pricing rules would
 * have to be written twice) are measured against the same-SQL baseline only.
 */
import { me } from "./me";
import { searchProducts } from "./search";

export interface FloorEnv {
  DB: D1Database;
}

type Handler = (request: Request, env: FloorEnv, url: URL) => Promise<Response>;

const routes: Record<string, Handler> = {
  "GET /v1/me": me,
  "GET /v1/products": searchProducts,
};

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    return handler ? handler(request, env, url) : Response.json({ status: 404 }, { status: 404 });
  },
} satisfies ExportedHandler<FloorEnv>;
