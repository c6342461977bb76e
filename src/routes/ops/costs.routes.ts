import { createRoute, z } from "@hono/zod-openapi";
import { BACKLOG_SOURCES } from "../../platform/events/queue-backlog";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminOnly, TAGS } from "./ops.shared";

const LineItemSchema = z
  .object({
    item: z.string().openapi({ example: "d1RowWritten" }),
    quantity: z.number(),
    unit: z.string().openapi({ example: "row written" }),
    dollarsPerMillion: z.number(),
    dollars: z.number(),
  })
  .openapi("CostLineItem");

const n = z.number();
const UsageSchema = z
  .object({
    facts: n,
    fetches: n,
    queueBatches: n,
    crons: n,
    workerWallMs: n,
    d1Queries: n,
    d1RowsRead: n,
    d1RowsWritten: n,
    d1QueriesWithoutMeta: n,
    queueMessagesSent: n,
    queueWriteOps: n,
    queueDeliveries: n,
    queueReadOps: n,
    queueAcks: n,
    queueDeleteOps: n,
    queueRetries: n,
    doRequests: n,
    doWallMs: n,
    doSqlRowsRead: n,
    doSqlRowsWritten: n,
    r2ClassA: n,
    r2ClassB: n,
    logLines: n,
    logBytes: n,
  })
  .openapi("CostUsage", { description: "The operations counted, as the cost model reads them." });

const CostLineSchema = z
  .object({
    name: z.string().openapi({ example: "analytics" }),
    units: z.number().openapi({
      description: "The denominator: facts committed (a flow), deliveries acknowledged (a consumer).",
    }),
    dollars: z.number(),
    dollarsPerMillion: z.number().nullable().openapi({ description: "null when `units` is 0." }),
    lineItems: z.array(LineItemSchema),
    usage: UsageSchema,
  })
  .openapi("CostLine");

const BacklogSchema = z
  .object({
    queue: z.string().openapi({
      example: "crossdock-analytics",
      description: "A consumer's queue, `outbox` (committed, not yet relayed) or `<queue>-dlq (stored)`.",
    }),
    messages: z.number().int(),
    bytes: z.number().int(),
    messageHours: z.number().openapi({
      description:
        "Sum over the messages of the hours each has waited, as the delivery ledger knows them (a queue " +
        "reports only its oldest message's age).",
    }),
    source: z.enum(BACKLOG_SOURCES).openapi({
      description:
        "Where `messages` and `bytes` come from: `queue`, the queue's own figures (`metrics()` on its " +
        "producer binding); `crossdock`, Crossdock's tables (the outbox, the delivery ledger, the stored " +
        "dead letters), for the outbox, the dead-letter queues and a queue whose binding gives no figures.",
    }),
  })
  .openapi("CostBacklog");

export const CostsSchema = z
  .object({
    scope: z.literal("isolate").openapi({
      description:
        "Counters live in the memory of the isolate that answered: since it started (`since`), and for today (UTC).",
    }),
    since: z.iso.datetime(),
    cpu: z.literal("not-counted").openapi({
      description:
        "A Worker cannot read its own CPU time: the Workers CPU line is 0 here (the bench adds workerd's).",
    }),
    flows: z.array(CostLineSchema).openapi({ description: "Per flow, per 1M facts it committed." }),
    consumers: z
      .array(CostLineSchema)
      .openapi({ description: "Per consumer, per 1M deliveries it acknowledged." }),
    today: z.object({
      since: z.iso.datetime(),
      dollars: z.number(),
      lineItems: z.array(LineItemSchema),
      allowances: z.array(
        z.object({ item: z.string(), used: z.number(), includedPerDay: z.number(), inside: z.boolean() }),
      ),
      insideAllowances: z.boolean().openapi({
        description:
          "Whether every unit is within a day's share (1/30) of the paid plan's monthly allowance.",
      }),
    }),
    backlog: z.array(BacklogSchema),
    prices: z.object({
      readOn: z.string().openapi({ example: "2026-12-05" }),
      prices: z.array(
        z.object({
          item: z.string(),
          dollars: z.number(),
          per: z.number(),
          unit: z.string(),
          source: z.url(),
        }),
      ),
    }),
  })
  .openapi("Costs");

export const CostsQuery = z.strictObject({
  flow: z.string().min(1).max(64).optional().openapi({
    description: "Only this flow (and the consumers it owns); 422 `unknown-flow` if none is counted.",
  }),
});

export const costsRoute = createRoute({
  method: "get",
  path: "/ops/costs",
  tags: TAGS,
  summary: "What each flow and consumer costs on Cloudflare's unit prices, per 1M facts",
  description:
    "From the operations counted at runtime (D1 rows read and written from each result's meta, queue " +
    "sends, deliveries, acks and retries in 64 KB units, Durable Object calls and SQLite rows, R2 class " +
    "A/B calls, invocations) priced with src/platform/costs/prices.ts, ignoring the paid plan's " +
    "allowances; today's spend so far; and the backlog each queue holds (the queue's own figures where its " +
    "binding gives them, else the outbox, the delivery ledger and the dead letters). Counters are per isolate (see docs/OPERATIONS.md, Costs).",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: CostsQuery },
  responses: {
    200: { description: "Costs", content: { "application/json": { schema: CostsSchema } } },
    ...problems(422),
  },
});
