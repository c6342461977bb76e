import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; wrangler applies it (`wrangler d1 migrations apply`),
// so D1 keeps one migration history whether it runs locally, in tests or in production.
export default defineConfig({
  dialect: "sqlite",
  // Every table module, by name: each flow's schema.ts and the backbone's (events, jobs).
  schema: ["./src/flows/*/schema.ts", "./src/platform/*/schema.ts"],
  out: "./migrations",
});
