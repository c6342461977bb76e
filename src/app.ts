import { Scalar } from "@scalar/hono-api-reference";
import { secureHeaders } from "hono/secure-headers";
import { buildAsyncApiDocument } from "./platform/events/asyncapi";
import { handleError, handleNotFound } from "./platform/http/error-handler";
import { corsFromEnv, jsonBodyLimit } from "./platform/http/guards";
import { methodNotAllowedOr } from "./platform/http/method-not-allowed";
import { accessLog, requestContext } from "./platform/http/request-context";
import { createRouter } from "./platform/http/router";
import { registerRoutes } from "./routes";

/**
 * The HTTP app: cross-cutting middleware in the order a request meets it, then every feature's routes,
 * then the generated OpenAPI document and its reference page, and the AsyncAPI document of the events.
 */
export function createApp() {
  const app = createRouter();
  app.onError(handleError);
  app.notFound(methodNotAllowedOr(app, handleNotFound));
  app.use(requestContext, accessLog, secureHeaders(), corsFromEnv, jsonBodyLimit);

  registerRoutes(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "A session token from /v1/auth/login (cds_…) or, where a route names a scope, an API key (cdk_…).",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Crossdock API",
      version: "1.0.0",
      description:
        "Marketplace backend on Cloudflare Workers. Errors are RFC 9457 problems (application/problem+json) " +
        "whose `instance` is the request id. The events Crossdock publishes are described by the AsyncAPI 3 " +
        "document at /asyncapi.json.",
    },
    servers: [{ url: "/" }],
  });
  // Generated from the event catalog and topology, like /openapi.json from the route contracts; it is
  // not an HTTP operation, so it stays out of the OpenAPI document (as /openapi.json does).
  app.get("/asyncapi.json", (c) => c.json(buildAsyncApiDocument()));
  // The reference page's script is served from static assets (see scripts/vendor-docs-assets.mjs).
  app.get("/docs", Scalar({ url: "/openapi.json", cdn: "/docs/scalar.js", pageTitle: "Crossdock API" }));
  return app;
}
