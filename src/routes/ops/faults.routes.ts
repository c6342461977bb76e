import { createRoute, z } from "@hono/zod-openapi";
import { FAULT_KINDS, FAULT_PROVIDERS, FAULT_STATES, OUTAGE_MODES } from "../../platform/faults/model";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { adminOnly, pathParam, TAGS } from "./ops.shared";

const consumer = z
  .string()
  .min(1)
  .max(100)
  .openapi({ description: "A declared consumer (as in /asyncapi.json), e.g. `email`.", example: "email" });
const expiresInSeconds = z.number().int().min(1).max(3600).openapi({
  description: "The fault ends by itself this many seconds after it is set (1–3600).",
  example: 300,
});

/** The request for one consumer fault: its kind, the consumer, the kind's own fields, the expiry. */
const consumerFault = <K extends string, F extends z.ZodRawShape>(kind: K, name: string, fields: F) =>
  z.strictObject({ kind: z.literal(kind), consumer, ...fields, expiresInSeconds }).openapi(name);

const rate = (description: string) => z.number().min(0).max(1).openapi({ description });

const FailureRateRequest = consumerFault("failure-rate", "FailureRateFaultRequest", {
  rate: rate("Chance that a delivery fails (thrown before its handler), 0–1."),
});
const LatencyRequest = consumerFault("latency", "LatencyFaultRequest", {
  latencyMs: z
    .number()
    .int()
    .min(1)
    .max(60_000)
    .openapi({ description: "Wait before each delivery's handler, 1–60000 ms." }),
});
const PauseRequest = consumerFault("pause", "PauseFaultRequest", {});
const PoisonRequest = consumerFault("poison", "PoisonFaultRequest", {
  rate: rate("Fraction of events (picked by a hash of the event id) that fail every attempt, 0–1."),
});
const DuplicateRequest = consumerFault("duplicate", "DuplicateFaultRequest", {});

const ProviderOutageRequest = z
  .strictObject({
    kind: z.literal("provider-outage"),
    provider: z.enum(FAULT_PROVIDERS),
    mode: z.enum(OUTAGE_MODES).openapi({
      description: "`fail`: every call fails at once; `timeout`: every call waits out its timeout.",
    }),
    rate: z.number().gt(0).max(1).optional().openapi({
      description:
        "Chance that a call is struck, above 0 and at most 1 (default 1: every call); the others reach the provider.",
      example: 0.05,
    }),
    expiresInSeconds,
  })
  .openapi("ProviderOutageFaultRequest");

export const FaultRequest = z
  .discriminatedUnion("kind", [
    FailureRateRequest,
    LatencyRequest,
    PauseRequest,
    PoisonRequest,
    DuplicateRequest,
    ProviderOutageRequest,
  ])
  .openapi("FaultRequest");

export const FaultSchema = z
  .object({
    id: z.string().openapi({ example: "flt_01jxyz…" }),
    kind: z.enum(FAULT_KINDS),
    consumer: z.string().optional().openapi({ description: "Consumer faults only." }),
    provider: z.enum(FAULT_PROVIDERS).optional().openapi({ description: "`provider-outage` only." }),
    rate: z
      .number()
      .optional()
      .openapi({ description: "`failure-rate` and `poison`; `provider-outage` when set (absent: 1)." }),
    latencyMs: z.number().int().optional().openapi({ description: "`latency` only." }),
    mode: z.enum(OUTAGE_MODES).optional().openapi({ description: "`provider-outage` only." }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    endedAt: z.iso
      .datetime()
      .nullable()
      .openapi({ description: "When it expired or was cleared; null while active." }),
    state: z.enum(FAULT_STATES),
    injected: z.number().int().openapi({
      description:
        "Injections so far: messages failed, delayed, held, poisoned or duplicated, provider calls failed.",
    }),
  })
  .openapi("Fault");

const FaultList = z
  .object({
    enabled: z.boolean().openapi({ description: "Whether faults can be set here (FAULTS_ENABLED)." }),
    faults: z.array(FaultSchema),
  })
  .openapi("FaultList");

const docs = "See docs/OPERATIONS.md, Fault injection.";

export const listFaultsRoute = createRoute({
  method: "get",
  path: "/ops/faults",
  tags: TAGS,
  summary: "Injected faults: the active ones, then those that ended in the last 24 hours",
  description: `Admins only. Active faults newest first, then ended ones (expired or cleared), most recently ended first, with what each injected. ${docs}`,
  security: bearerAuth,
  middleware: [adminOnly] as const,
  responses: {
    200: { description: "The faults", content: { "application/json": { schema: FaultList } } },
  },
});

export const setFaultRoute = createRoute({
  method: "post",
  path: "/ops/faults",
  tags: TAGS,
  summary: "Inject a fault into a consumer or a provider until it expires or is cleared",
  description:
    "Admins only, and only where FAULTS_ENABLED is `true` (409 `faults-disabled` otherwise; production " +
    `is off). A consumer no flow declares is 422 \`unknown-consumer\`. ${docs}`,
  security: bearerAuth,
  middleware: [...adminAction("faults.set")] as const,
  request: { body: { required: true, content: { "application/json": { schema: FaultRequest } } } },
  responses: {
    201: {
      description: "Set",
      headers: {
        Location: { description: "The fault", schema: { type: "string", example: "/ops/faults/flt_…" } },
      },
      content: { "application/json": { schema: FaultSchema } },
    },
    ...problems(409, 422),
  },
});

export const clearFaultRoute = createRoute({
  method: "delete",
  path: "/ops/faults/{id}",
  tags: TAGS,
  summary: "Clear one fault now (it stays listed, cleared, with its count)",
  description: "Admins only; works whether or not faults are enabled. An unknown id is a 404.",
  security: bearerAuth,
  middleware: [...adminAction("faults.clear")] as const,
  request: { params: pathParam("id", "flt_01jxyz…") },
  responses: { 204: { description: "Cleared (or already ended)" }, ...problems(404) },
});

export const clearAllFaultsRoute = createRoute({
  method: "delete",
  path: "/ops/faults",
  tags: TAGS,
  summary: "Clear every active fault now: a game day's rollback",
  description: "Admins only; works whether or not faults are enabled.",
  security: bearerAuth,
  middleware: [...adminAction("faults.clear-all")] as const,
  responses: { 204: { description: "Nothing active any more" } },
});
