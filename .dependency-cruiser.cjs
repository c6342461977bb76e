/**
 * Layer rules (docs/ARCHITECTURE.md, "Layers"), checked by `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "flow-hearts-import-no-entry-point",
      comment:
        "src/flows/<flow> is a flow's heart (declaration, facts, decisions): no HTTP, no Durable Objects, no queue handlers.",
      severity: "error",
      from: { path: "^src/flows/" },
      to: { path: ["^src/(routes|consumers|durable-objects)/", "^hono($|/)", "^@hono/", "^cloudflare:"] },
    },
    {
      name: "consumers-never-import-routes",
      severity: "error",
      from: { path: "^src/consumers/" },
      to: { path: "^src/routes/" },
    },
    {
      name: "platform-knows-no-entry-point",
      comment:
        "src/platform is plumbing that knows no flow: it never imports a flow, a provider, or the routes, consumers and Durable Objects built on it.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/(flows|providers|routes|consumers|durable-objects)/" },
    },
    {
      name: "providers-know-no-flow",
      comment: "src/providers are adapters (payments, email): they serve flows and never import one.",
      severity: "error",
      from: { path: "^src/providers/" },
      to: { path: "^src/(flows|routes|consumers)/" },
    },
    {
      name: "no-circular",
      comment: "A cycle through type-only imports is harmless at run time and allowed.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "\\.d\\.ts$" },
  },
};
