import { createRoute, z } from "@hono/zod-openapi";
import { DEAD_LETTER_STATUSES } from "../../platform/events/schema";
import { bearerAuth, jsonResponse, ProblemSchema, problems } from "../../platform/http/openapi";
import { PROBLEM_CONTENT_TYPE } from "../../platform/http/problem";
import { adminAction } from "./audit";
import { adminOnly, MAX_PAGE, pageOf, pageQuery, pathParam, TAGS } from "./ops.shared";

const Name = z.string().min(1).max(200);

/** Filters shared by the list, the bulk redrive and redrive runs. */
export const deadLetterFilters = {
  queue: Name.optional().openapi({ description: "Origin queue, e.g. `crossdock-email`." }),
  type: Name.optional().openapi({ description: "Event type, e.g. `user.registered`." }),
  consumer: Name.optional().openapi({ description: "Consumer name, e.g. `email`." }),
};

export const DeadLetterSchema = z
  .object({
    id: z.string().openapi({ example: "dlq_01jxyz…" }),
    originQueue: z.string(),
    consumer: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    envelope: z.unknown().openapi({
      description: "The stored message: parsed JSON when it parses, otherwise the raw text.",
    }),
    lastError: z.string(),
    attempts: z.number().int(),
    firstFailedAt: z.iso.datetime(),
    lastFailedAt: z.iso.datetime(),
    sizeBytes: z.number().int(),
    status: z.enum(DEAD_LETTER_STATUSES),
    redrivenAt: z.iso.datetime().nullable(),
    discardedAt: z.iso.datetime().nullable(),
  })
  .openapi("DeadLetter");

export const DeadLetterListQuery = z.strictObject({
  ...deadLetterFilters,
  status: z.enum(DEAD_LETTER_STATUSES).default("dead"),
  ...pageQuery,
});

const IdParams = pathParam("id", "dlq_01jxyz…");

export const listDeadLettersRoute = createRoute({
  method: "get",
  path: "/ops/dead-letters",
  tags: TAGS,
  summary: "Dead letters, newest first, filtered by queue, type, consumer and status",
  description:
    "Admins only. Messages a consumer gave up on after its retries, for an operator to redrive or discard.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: DeadLetterListQuery },
  responses: { 200: jsonResponse(pageOf(DeadLetterSchema, "DeadLetterPage"), "A page") },
});

export const getDeadLetterRoute = createRoute({
  method: "get",
  path: "/ops/dead-letters/{id}",
  tags: TAGS,
  summary: "One dead letter with its stored envelope and last error",
  description: "Admins only. An unknown id is a 404.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(DeadLetterSchema, "The dead letter"), ...problems(404) },
});

const Redriven = z.object({ id: z.string(), status: z.literal("redriven") }).openapi("RedrivenDeadLetter");

export const redriveDeadLetterRoute = createRoute({
  method: "post",
  path: "/ops/dead-letters/{id}/redrive",
  tags: TAGS,
  summary: "Republish a dead letter, upcast to the current version, to its origin consumer's queue",
  description:
    "Only the consumer that failed receives it again; other subscribers already handled the event. " +
    "422 `not-redrivable` when the stored message cannot be read as a current event (nothing changes); " +
    "409 when it was already redriven.",
  security: bearerAuth,
  middleware: [...adminAction("dead-letters.redrive")] as const,
  request: { params: IdParams },
  responses: {
    202: jsonResponse(Redriven, "Sent to the origin queue"),
    ...problems(404, 409, 422),
    503: {
      description: "The origin queue refused the message; nothing changed",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    },
  },
});

export const BulkRedriveBody = z
  .strictObject({
    ...deadLetterFilters,
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .default(MAX_PAGE)
      .openapi({
        description: `Dead letters this call redrives at most, 1–${MAX_PAGE} (default ${MAX_PAGE}): with a pause between calls, a throttled redrive that a recovering consumer can absorb.`,
      }),
    cursor: z.string().min(1).max(512).optional().openapi({
      description: "The previous call's `nextCursor`, with the same filters, to continue past its rows.",
    }),
  })
  .openapi("BulkRedriveRequest");

const BulkRedriveResult = z
  .object({
    redriven: z.number().int().openapi({ description: "Sent to their origin queues and marked redriven." }),
    failed: z
      .array(z.object({ id: z.string(), reason: z.string() }))
      .openapi({ description: "Examined but not redriven; they stay dead." }),
    remaining: z
      .number()
      .int()
      .openapi({ description: "Dead letters matching the filters that this call did not reach." }),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: "Send as `cursor` to continue; null when nothing remains." }),
  })
  .openapi("BulkRedriveResult");

export const bulkRedriveRoute = createRoute({
  method: "post",
  path: "/ops/dead-letters/redrive",
  tags: TAGS,
  summary: `Redrive up to \`limit\` (at most ${MAX_PAGE}) dead letters matching the filters, oldest first`,
  description:
    "An empty body means every dead letter. Loop with `nextCursor` until it is null: rows that cannot " +
    "be redriven are reported in `failed` and skipped, so the loop always ends.",
  security: bearerAuth,
  middleware: [...adminAction("dead-letters.redrive-bulk")] as const,
  request: { body: { required: true, content: { "application/json": { schema: BulkRedriveBody } } } },
  responses: {
    200: jsonResponse(BulkRedriveResult, "What this call did"),
  },
});

export const DiscardBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).openapi({
      description: "Why it is given up on, kept in the audit log with the discard (1–500 characters).",
      example: "Duplicate signup; the customer has another account.",
    }),
  })
  .openapi("DiscardDeadLetterRequest");

export const deleteDeadLetterRoute = createRoute({
  method: "delete",
  path: "/ops/dead-letters/{id}",
  tags: TAGS,
  summary: "Discard a dead letter: its delivery is settled, never retried; the row stays as the record",
  description:
    "Admins only. An optional JSON body `{reason}` says why; the audit log keeps it with the discard. " +
    "An unknown id is a 404.",
  security: bearerAuth,
  middleware: [...adminAction("dead-letters.discard")] as const,
  request: {
    params: IdParams,
    body: { required: false, content: { "application/json": { schema: DiscardBody } } },
  },
  responses: { 204: { description: "Discarded" }, ...problems(404) },
});
