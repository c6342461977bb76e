import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { TAGS } from "./ops.shared";

/** The most facts one call writes: one D1 batch of a few statements and ten queue sends, well inside a request. */
export const MAX_BACKLOG_FACTS = 1000;

export const BacklogRequestSchema = z
  .strictObject({
    consumer: z.string().min(1).max(64).openapi({
      example: "analytics",
      description: "The consumer to build the backlog for; its flow must declare synthetic facts.",
    }),
    count: z.number().int().min(1).max(MAX_BACKLOG_FACTS).openapi({ example: 1000 }),
    tag: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, "must be 1-64 characters of a-z, 0-9 and -")
      .openapi({
        example: "gameday-1",
        description:
          "Names the backlog: its facts' correlation id is `backlog-<tag>`. Calls with the same tag number their facts on from the last.",
      }),
  })
  .openapi("BacklogRequest");

export const BacklogResponseSchema = z
  .object({
    consumer: z.string(),
    eventType: z.string().openapi({ example: "analytics.events_received" }),
    count: z.number().int(),
    correlationId: z.string().openapi({ example: "backlog-gameday-1" }),
    template: z.string().openapi({ description: "The id of the published fact the copies were made from." }),
  })
  .openapi("Backlog");

export const backlogRoute = createRoute({
  method: "post",
  path: "/ops/faults/backlog",
  tags: TAGS,
  summary: "Write N real facts for one consumer (a game-day backlog)",
  description:
    'Admins only, and only where `FAULTS_ENABLED` is "true" (409 `faults-disabled` otherwise). Copies the ' +
    "newest published fact of the type the consumer's flow declares (`synthetic`), varied as the flow says, " +
    "into `count` new facts (fresh ids, time now, correlation id `backlog-<tag>`), commits them to the outbox " +
    "before answering and relays them after, to every consumer subscribed to the type. 422 " +
    "`unknown-consumer` or `no-synthetic-facts`; 409 `no-template-fact` before any such fact was published.",
  security: bearerAuth,
  middleware: [...adminAction("faults.backlog")] as const,
  request: { body: { required: true, content: { "application/json": { schema: BacklogRequestSchema } } } },
  responses: {
    202: {
      description: "The facts are committed; they are relayed after the response",
      content: { "application/json": { schema: BacklogResponseSchema } },
    },
    ...problems(409, 422),
  },
});
