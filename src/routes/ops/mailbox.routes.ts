import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth } from "../../platform/http/openapi";
import { adminOnly, pageOf, pageQuery, TAGS } from "./ops.shared";

export const MailSchema = z
  .object({
    id: z.string(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    template: z.string().openapi({ example: "welcome" }),
    eventId: z.string().openapi({ description: "The event the email was sent for." }),
    sentAt: z.iso.datetime(),
  })
  .openapi("MailboxMessage");

export const MailboxListQuery = z.strictObject({
  to: z
    .string()
    .min(1)
    .max(320)
    .optional()
    .openapi({ description: "Only messages to this recipient (exact, case-insensitive)." }),
  ...pageQuery,
});

export const listMailboxRoute = createRoute({
  method: "get",
  path: "/ops/mailbox",
  tags: TAGS,
  summary: "Emails stored by the local mailbox provider (EMAIL_PROVIDER=mailbox), newest first",
  description: "Admins only. For local runs and tests: what would have been sent, without sending it.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: MailboxListQuery },
  responses: {
    200: {
      description: "A page",
      content: { "application/json": { schema: pageOf(MailSchema, "MailboxPage") } },
    },
  },
});
