import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; wrangler applies it (`wrangler d1 migrations apply`),
// so D1 keeps one migration history whether it runs locally, in tests or in production.
export default defineConfig({
  dialect: "sqlite",
  schema: [
    "./src/db/schema.ts",
    "./src/db/schema-events.ts",
    "./src/db/schema-read-models.ts",
    "./src/db/schema-orders.ts",
    "./src/db/schema-jobs.ts",
    "./src/db/schema-settlements.ts",
    "./src/db/schema-analytics.ts",
    "./src/db/schema-reports.ts",
    "./src/db/schema-imports.ts",
  ],
  out: "./migrations",
});
