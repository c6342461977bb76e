import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { documented } from "./openapi";
import { strictQuery, validationHook } from "./validation";

/**
 * A router whose routes validate input against their contract and feed the OpenAPI document.
 * Every feature builds its routes on one of these so validation errors look the same everywhere, and
 * every route's query string is strict: a parameter the contract does not declare is a 400 naming it,
 * whether or not the route declares a query schema at all. Each contract is also completed for the
 * document (operationId, public `security: []`, the problems its middleware can answer: see documented).
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const register = router.openapi;
  router.openapi = ((route, handler, hook) =>
    register(documented(strictQuery(route)), handler, hook)) as typeof register;
  return router;
}
