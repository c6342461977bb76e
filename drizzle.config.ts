import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; wrangler applies it (`wrangler d1 migrations apply`),
// so D1 keeps one migration history whether it runs locally, in tests or in production.
export default defineConfig({
  dialect: "sqlite",
  // Every table module, by name: src/db/schema*.ts today, src/flows/<flow>/schema.ts as flows move.
  schema: ["./src/db/schema*.ts", "./src/flows/*/schema.ts"],
  out: "./migrations",
});
