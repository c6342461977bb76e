import { createRoute, z } from "@hono/zod-openapi";
import { REDRIVE_RUN_STATES, type RedriveRun, type RedriveRunCommand } from "../../flows/ops/redrive-runs";
import { bearerAuth, jsonResponse, problems } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { deadLetterFilters } from "./dead-letters.routes";
import { adminOnly, iso, isoOrNull, MAX_PAGE, pathParam, TAGS } from "./ops.shared";

/** The letters a run takes: each filter given narrows it; none means every dead letter. */
const scope = {
  ...deadLetterFilters,
  error: z.string().min(1).max(4096).optional().openapi({
    description: "The exact `lastError`: one group of dead letters (as the console groups them).",
  }),
  ids: z
    .array(z.string().min(1).max(128))
    .min(1)
    .max(1000)
    .optional()
    .openapi({ description: "Explicit dead letters, 1–1000 ids (still only those that are dead)." }),
};

export const RedriveRunRequest = z
  .strictObject({
    ...scope,
    batchSize: z
      .number()
      .int()
      .min(1)
      .max(MAX_PAGE)
      .openapi({ description: `Dead letters per batch, 1–${MAX_PAGE}.`, example: 10 }),
    ratePerSecond: z.number().min(0.01).max(1000).openapi({
      description:
        "Dead letters per second at most, 0.01–1000: batches start `batchSize / ratePerSecond` seconds apart.",
      example: 5,
    }),
  })
  .openapi("RedriveRunRequest");

export type RedriveRunInput = z.infer<typeof RedriveRunRequest>;

export const RedriveRunSchema = z
  .object({
    id: z.string().openapi({ example: "rdr_01jxyz…" }),
    state: z.enum(REDRIVE_RUN_STATES).openapi({
      description: "`running` (a batch is due at `nextBatchAt`), `paused`, `done` or `cancelled`.",
    }),
    scope: z.object(scope),
    batchSize: z.number().int(),
    ratePerSecond: z.number(),
    total: z.number().int().openapi({ description: "Dead letters in scope when the run started." }),
    redriven: z.number().int(),
    failed: z.number().int().openapi({ description: "Examined but not redriven: they stay dead." }),
    remaining: z.number().int().openapi({ description: "Still waiting, as of the last batch." }),
    failures: z
      .array(z.object({ id: z.string(), reason: z.string() }))
      .openapi({ description: "The latest 20 failures, oldest first." }),
    startedBy: z.string().openapi({ description: "The admin's email." }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    nextBatchAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: "Why the last batch could not run (it is retried in 5 s)." }),
  })
  .openapi("RedriveRun");

export const toRedriveRunView = ({
  scope: { ids, ...filters },
  ...run
}: RedriveRun): z.infer<typeof RedriveRunSchema> => ({
  id: run.id,
  state: run.state,
  scope: { ...filters, ...(ids ? { ids: [...ids] } : {}) },
  batchSize: run.batchSize,
  ratePerSecond: run.ratePerSecond,
  total: run.total,
  redriven: run.redriven,
  failed: run.failed,
  remaining: run.remaining,
  failures: run.failures,
  startedBy: run.startedBy,
  createdAt: iso(run.createdAt),
  updatedAt: iso(run.updatedAt),
  nextBatchAt: isoOrNull(run.nextBatchAt),
  finishedAt: isoOrNull(run.finishedAt),
  lastError: run.lastError,
});

const IdParams = pathParam("id", "rdr_01jxyz…");
const RUNS = "/ops/redrive-runs";

export const startRedriveRunRoute = createRoute({
  method: "post",
  path: RUNS,
  tags: TAGS,
  summary: "Start a throttled redrive run: every dead letter in scope, in batches at a rate",
  description:
    "Answers at once with the run's status resource (`Location`); the run redrives oldest first, " +
    "`batchSize` letters per batch, batches `batchSize / ratePerSecond` seconds apart, each letter at " +
    "most once, until none is left. It survives restarts. 422 `nothing-to-redrive` when no dead letter " +
    "is in scope.",
  security: bearerAuth,
  middleware: [...adminAction("dead-letters.redrive-run")] as const,
  request: { body: { required: true, content: { "application/json": { schema: RedriveRunRequest } } } },
  responses: {
    202: {
      description: "Started",
      headers: {
        Location: { description: "The run", schema: { type: "string", example: `${RUNS}/rdr_…` } },
      },
      content: { "application/json": { schema: RedriveRunSchema } },
    },
    ...problems(422),
  },
});

export const getRedriveRunRoute = createRoute({
  method: "get",
  path: `${RUNS}/{id}`,
  tags: TAGS,
  summary: "A redrive run's progress: total, redriven, failed, remaining and state",
  description: "Admins only. An unknown id is a 404.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(RedriveRunSchema, "The run"), ...problems(404) },
});

const COMMAND_SUMMARIES: Record<RedriveRunCommand, string> = {
  pause: "Pause a running redrive run: no batch starts until it is resumed",
  resume: "Resume a paused redrive run: its next batch starts at once",
  cancel: "Cancel a running or paused redrive run: what it redrove stays redriven, the rest stays dead",
};

/** `POST …/{id}/pause`, `…/resume`, `…/cancel`: each audited as `dead-letters.redrive-run.<command>`. */
export const redriveRunCommandRoute = <const C extends RedriveRunCommand>(command: C) =>
  createRoute({
    method: "post",
    path: `${RUNS}/{id}/${command}` as `/ops/redrive-runs/{id}/${C}`,
    tags: TAGS,
    summary: COMMAND_SUMMARIES[command],
    description: "409 `redrive-run-state` when the run's state does not allow it; 404 for an unknown id.",
    security: bearerAuth,
    middleware: [...adminAction(`dead-letters.redrive-run.${command}`)] as const,
    request: { params: IdParams },
    responses: { 200: jsonResponse(RedriveRunSchema, "The run, changed"), ...problems(404, 409) },
  });
