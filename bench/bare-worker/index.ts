/**
 * The benchmark's baseline: crossdock's measured endpoints as a plain module worker — no Hono, no zod,
 * no middleware, no ORM at request time — running the identical D1 statements and answering the same
 * JSON. What crossdock costs beyond this worker is the price of its framework and plumbing.
 */
import { type BareEnv, type BareHandler, problem } from "./handler";
import { me } from "./me";
import { createQuote } from "./quote";
import { searchProducts } from "./search";

const routes: Record<string, BareHandler> = {
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
} satisfies ExportedHandler<BareEnv>;
