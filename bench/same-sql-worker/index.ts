/**
 * The benchmark's "same SQL, no framework" baseline: crossdock's measured endpoints as a plain module
 * worker — no Hono, no zod, no middleware, no ORM at request time — running the identical D1 statements
 * (rendered by crossdock's own builders) and answering the same JSON. What crossdock costs beyond this
 * worker is the price of its framework and plumbing; a slow query costs both alike, which is what the
 * hand-written floor (bench/floor-worker/) is for.
 */
import { problem, type SameSqlEnv, type SameSqlHandler } from "./handler";
import { me } from "./me";
import { createQuote } from "./quote";
import { searchProducts } from "./search";

const routes: Record<string, SameSqlHandler> = {
  "GET /v1/me": me,
  "GET /v1/products": searchProducts,
  "POST /v1/quotes": createQuote,
};

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const handler = routes[`${request.method} ${url.pathname}`];
    return handler ? handler(request, env, url) : problem(404, `No route for ${url.pathname}.`);
  },
} satisfies ExportedHandler<SameSqlEnv>;
