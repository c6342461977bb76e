import { createRoute, z } from "@hono/zod-openapi";
import { ALERT_STATES } from "../../platform/events/schema";
import { bearerAuth } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { adminOnly, pageOf, pageQuery, TAGS } from "./ops.shared";

export const AlertSchema = z
  .object({
    id: z.string().openapi({ example: "alr_01jxyz…" }),
    rule: z.string().openapi({ example: "dead-letters-oldest-age" }),
    metric: z.string().openapi({ example: "dead_letters.oldest_age_seconds" }),
    value: z.number(),
    threshold: z.number(),
    message: z.string(),
    state: z.enum(ALERT_STATES),
    raisedAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
  })
  .openapi("Alert");

export const listAlertsRoute = createRoute({
  method: "get",
  path: "/ops/alerts",
  tags: TAGS,
  summary: "Alerts raised by the backlog rules, newest first",
  description:
    "A rule fires when its value is above its threshold (ALERT_* variables) and resolves when it no " +
    "longer is; each firing raises one alert and an `ops.alert.raised` event.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: {
    query: z.strictObject({
      state: z.enum(ALERT_STATES).optional().openapi({ description: "Only firing or only resolved alerts." }),
      ...pageQuery,
    }),
  },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(AlertSchema, "AlertPage") } },
    },
  },
});

const EvaluationSchema = z
  .object({
    raised: z.array(z.string()).openapi({ description: "Rules that started firing." }),
    resolved: z.array(z.string()).openapi({ description: "Rules that stopped firing." }),
  })
  .openapi("AlertEvaluation");

export const evaluateAlertsRoute = createRoute({
  method: "post",
  path: "/ops/alerts/evaluate",
  tags: TAGS,
  summary: "Evaluate the alert rules now instead of waiting for the next cron tick",
  description: "Admins only. Answers the rules that started and stopped firing in this evaluation.",
  security: bearerAuth,
  middleware: [...adminAction("alerts.evaluate")] as const,
  responses: {
    200: { description: "Transitions", content: { "application/json": { schema: EvaluationSchema } } },
  },
});
