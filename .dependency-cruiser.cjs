/**
 * Layer rules (docs/ARCHITECTURE.md, "Layers"), checked by `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment:
        "src/domain holds decisions and facts: no HTTP, no bindings, no Durable Objects, no storage rows, no plumbing with I/O.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: {
        path: [
          "^src/(routes|consumers|durable-objects|db)/",
          // Pure plumbing (ids, well-formed text) is fine; HTTP errors, I/O and bindings are not.
          "^src/platform/(?!well-formed-text\\.ts$|ids\\.ts$)",
          "^hono($|/)",
          "^@hono/",
          "^drizzle-orm",
          "^cloudflare:",
        ],
      },
    },
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
        "src/platform is plumbing: it never imports the routes, consumers or Durable Objects built on it.",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/(routes|consumers|durable-objects)/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "\\.d\\.ts$" },
  },
};
