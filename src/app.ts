import { Scalar } from "@scalar/hono-api-reference";
import { matchedRoutes } from "hono/route";
import { secureHeaders } from "hono/secure-headers";
import { flowOfMatchedRoutes } from "./costs-attribution";
import { ENTRY_POINTS } from "./entry-points";
import { type Clock, systemClock } from "./platform/clock";
import { currentScope } from "./platform/costs/meter";
import { buildAsyncApiDocument } from "./platform/events/asyncapi";
import { handleError, handleNotFound } from "./platform/http/error-handler";
import { corsFromEnv, jsonBodyLimit } from "./platform/http/guards";
import { methodNotAllowedOr } from "./platform/http/method-not-allowed";
import { accessLog, requestContext } from "./platform/http/request-context";
import { createRouter } from "./platform/http/router";
import { noQueryParameters } from "./platform/http/validation";
import { consoleRoutes } from "./routes/console";
import { healthRoutes } from "./routes/health";
import { jobRoutes } from "./routes/jobs";
import { problemRoutes } from "./routes/problems";
import { webRoutes } from "./routes/web";
import { requireSecrets } from "./secrets";

/**
 * Tags in the order /docs lists them: what a buyer or merchant uses first, Operations last.
 * Every route's tag must be here (test/integration/openapi-document.test.ts).
 */
const TAGS = [
  ["Auth", "Accounts and session tokens."],
  ["API keys", "Scoped keys for server-to-server calls."],
  ["Catalog", "Products: browse publicly, publish as a merchant."],
  ["Catalog imports", "Bulk product imports from CSV or NDJSON, run as jobs."],
  ["Quotes", "A priced basket, honoured once until it expires."],
  ["Orders", "Placing, following, cancelling and refunding orders."],
  ["Merchant orders", "The orders a merchant has lines in."],
  ["Jobs", "Background work a request started, and how it is going."],
  ["Settlements", "What each merchant is paid per day."],
  ["Analytics", "Client events in, daily product figures out."],
  ["Reports", "Exports built in the background and downloaded when ready."],
  ["Problems", "What each RFC 9457 problem type means and what to do about it."],
  [
    "Operations",
    "Health, and the operator's tools: dead letters, deliveries, alerts, metrics, traces, game-day faults.",
  ],
] as const;

const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Crossdock API",
    version: "1.0.0",
    description:
      "Marketplace backend on Cloudflare Workers. Errors are RFC 9457 problems (application/problem+json) " +
      "whose `instance` is the request id. The events Crossdock publishes are described by the AsyncAPI 3 " +
      "document at /asyncapi.json.",
    // Not open source: an SPDX LicenseRef (OpenAPI 3.1 `identifier`) says so without inventing a URL.
    license: { name: "Proprietary", identifier: "LicenseRef-Crossdock-Proprietary" },
    contact: { name: "Crossdock platform team" },
  },
  servers: [{ url: "/" }],
  tags: TAGS.map(([name, description]) => ({ name, description })),
};

/**
 * /docs: the Scalar reference, offline. Its script is served from static assets (see
 * scripts/vendor-assets.mjs); no web fonts, no proxy (the API is same-origin), and none of the
 * buttons that call Scalar's hosted services: the developer toolbar (Deploy, Share; `showToolbar` is its
 * deprecated name, which only earns a console warning), the AI agent, the client button.
 * test/browser/docs.test.ts loads the page in Chromium and fails on any request to another host.
 */
export const DOCS_CONFIGURATION = {
  url: "/openapi.json",
  cdn: "/docs/scalar.js",
  pageTitle: "Crossdock API",
  withDefaultFonts: false,
  hideClientButton: true,
  showDeveloperTools: "never",
  agent: { disabled: true },
  telemetry: false,
} as const;

/**
 * The HTTP app: cross-cutting middleware in the order a request meets it, then every feature's routes,
 * then the generated OpenAPI document and its reference page, and the AsyncAPI document of the events.
 * `clock` is what handlers that wait on time read it from (`c.var.clock`); tests pass one they move.
 */
export function createApp({ clock = systemClock }: { clock?: Clock } = {}) {
  const app = createRouter();
  app.onError(handleError);
  app.notFound(methodNotAllowedOr(app, handleNotFound));
  app.use(
    async (c, next) => {
      c.set("clock", clock);
      // The router has matched by now: what this request costs is its flow's (src/platform/costs).
      const scope = currentScope();
      if (scope) scope.flow = flowOfMatchedRoutes(matchedRoutes(c));
      await next();
    },
    requestContext,
    accessLog,
    requireSecrets,
    secureHeaders(),
    corsFromEnv,
    jsonBodyLimit,
  );

  // The platform's own routes, then every flow's (each router's contract carries its full path).
  for (const routes of [healthRoutes, problemRoutes, jobRoutes]) app.route("/", routes);
  for (const entry of Object.values(ENTRY_POINTS)) for (const routes of entry.routes) app.route("/", routes);
  // The operator's console: pages for people, outside the OpenAPI document (src/routes/console).
  app.route("/", consoleRoutes);
  // The storefront and the merchant workspace: pages that call this same app in-process (src/routes/web).
  app.route(
    "/",
    webRoutes(async (request, c) => app.fetch(request, c.env, c.executionCtx)),
  );

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "A session token from /v1/auth/login (cds_…) or, where a route names a scope, an API key (cdk_…).",
  });
  app.use("/openapi.json", noQueryParameters);
  app.doc31("/openapi.json", OPENAPI_DOCUMENT);
  // Generated from the event catalog and topology, like /openapi.json from the route contracts; it is
  // not an HTTP operation, so it stays out of the OpenAPI document (as /openapi.json does).
  app.get("/asyncapi.json", noQueryParameters, (c) => c.json(buildAsyncApiDocument()));
  app.get("/docs", noQueryParameters, Scalar(DOCS_CONFIGURATION));
  return app;
}
