import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth, jsonResponse } from "../../platform/http/openapi";
import { adminOnly, pageOf, pageQuery, TAGS } from "./ops.shared";

const Action = z
  .string()
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, "must be an action name such as dead-letters.redrive")
  .openapi({ example: "dead-letters.redrive" });

export const AuditEntrySchema = z
  .object({
    id: z.string().openapi({ example: "aud_01jz…" }),
    at: z.iso.datetime(),
    actor: z
      .object({ id: z.string(), email: z.string().nullable() })
      .openapi({ description: "The admin who acted." }),
    action: Action,
    method: z.string().openapi({ example: "POST" }),
    path: z.string().openapi({ example: "/ops/dead-letters/dlq_01jz…/redrive" }),
    params: z
      .record(z.string(), z.string())
      .openapi({ description: "The route's path parameters: what was acted on." }),
    body: z.unknown().openapi({
      description: `The request's JSON body as sent (null without one; cut at 4,096 characters as \`{ truncated }\`).`,
    }),
    requestId: z
      .string()
      .openapi({ description: "The request's X-Request-Id: its log lines and trace carry it." }),
    status: z.number().int().openapi({ description: "The HTTP status it was answered with.", example: 202 }),
  })
  .openapi("AuditEntry");

export const AuditListQuery = z.strictObject({
  action: Action.optional().openapi({ description: "Only this action." }),
  actor: z.string().min(1).max(128).optional().openapi({ description: "Only actions by this user id." }),
  ...pageQuery,
});

export const listAuditRoute = createRoute({
  method: "get",
  path: "/ops/audit",
  tags: TAGS,
  summary: "The audit log: every operator action, newest first",
  description:
    "Admins only. One entry per attempt at an action (redrive, discard, fault set or cleared, synthetic " +
    "backlog, settlement run, game-day record, alert evaluation) that passed authentication, whatever its " +
    "outcome: who, what, when, the request id and the status it was answered with.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: AuditListQuery },
  responses: { 200: jsonResponse(pageOf(AuditEntrySchema, "AuditPage"), "A page") },
});
