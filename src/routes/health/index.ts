import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../platform/http/router";

const HealthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    checks: z.object({ d1: z.enum(["ok", "failing"]) }),
    time: z.string(),
  })
  .openapi("Health");

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["Operations"],
  summary: "Liveness and D1 reachability",
  description:
    "Public. 200 while D1 answers `SELECT 1`; 503 with the same body, `checks.d1: failing`, when it does not.",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: HealthSchema } } },
    503: {
      description: "A dependency is failing",
      content: { "application/json": { schema: HealthSchema } },
    },
  },
});

export const healthRoutes = createRouter().openapi(health, async (c) => {
  const d1 = await c.env.DB.prepare("SELECT 1")
    .first()
    .then(() => "ok" as const)
    .catch(() => "failing" as const);
  const body = {
    status: d1 === "ok" ? ("ok" as const) : ("degraded" as const),
    checks: { d1 },
    time: new Date().toISOString(),
  };
  return d1 === "ok" ? c.json(body, 200) : c.json(body, 503);
});
