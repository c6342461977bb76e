import { createRoute, z } from "@hono/zod-openapi";
import { GAMEDAY_VERDICTS } from "../../flows/ops/schema";
import { idempotency, idempotencyKeyHeaders, replayedHeader } from "../../platform/http/idempotency";
import { bearerAuth, jsonResponse, problems } from "../../platform/http/openapi";
import { adminAction } from "./audit";
import { adminOnly, pageOf, pageQuery, pathParam, TAGS } from "./ops.shared";

/** The Markdown report is kept whole or refused: 256 KiB of UTF-8 holds a long run's findings. */
export const MAX_GAMEDAY_MARKDOWN_BYTES = 256 * 1024;

const utf8Bytes = (s: string) => new TextEncoder().encode(s).byteLength;

const Scenario = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a scenario name: lower-case letters, digits and dashes")
  .openapi({ example: "consumer-failure" });

const Count = z.number().int().min(0);

const CheckSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    expected: z.string().max(500),
    actual: z.string().max(500),
    held: z.boolean(),
  })
  .openapi("GamedayCheck", {
    example: { name: "duplicated effects", expected: "0", actual: "0", held: true },
  });

const TotalsSchema = z
  .strictObject({ lost: Count, duplicated: Count, unexpected: Count })
  .openapi("GamedayTotals", {
    description:
      "Across every flow the checker covered: subjects with a lost, duplicated or unexpected effect.",
  });

export const RecordGamedayRequestSchema = z
  .strictObject({
    id: z
      .string()
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
        "must be 1–128 letters, digits, dots, dashes or underscores",
      )
      .openapi({ example: "consumer-failure-2026-12-05T10-00-00Z-1234" }),
    scenario: Scenario,
    verdict: z.enum(GAMEDAY_VERDICTS),
    hypothesis: z.string().min(1).max(2000),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime(),
    checks: z.array(CheckSchema).max(200),
    totals: TotalsSchema,
    markdown: z
      .string()
      .refine((s) => utf8Bytes(s) <= MAX_GAMEDAY_MARKDOWN_BYTES, "must be at most 256 KiB of UTF-8")
      .openapi({ description: "The run's Markdown report, at most 256 KiB of UTF-8." }),
    reportPath: z.string().min(1).max(1024).openapi({
      example: "gameday/reports/consumer-failure-2026-12-05T10-00-00Z-1234/",
      description: "Where the harness wrote report.md, report.html and report.json, on its own disk.",
    }),
  })
  .refine((b) => Date.parse(b.endedAt) >= Date.parse(b.startedAt), {
    message: "must not be before startedAt",
    path: ["endedAt"],
  })
  .openapi("RecordGamedayRequest");

export const GamedaySchema = z
  .object({
    id: z.string(),
    scenario: z.string(),
    verdict: z.enum(GAMEDAY_VERDICTS),
    hypothesis: z.string(),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime(),
    checksHeld: z.number().int(),
    checksTotal: z.number().int(),
    totals: TotalsSchema,
    reportPath: z.string(),
  })
  .openapi("Gameday");

export const GamedayDetailSchema = GamedaySchema.extend({
  checks: z.array(CheckSchema),
  markdown: z.string(),
}).openapi("GamedayDetail");

export const recordGamedayRoute = createRoute({
  method: "post",
  path: "/ops/gamedays",
  tags: TAGS,
  summary: "Record a game-day run: its verdict, checks, checker totals and Markdown report",
  description:
    "Admins only; the game-day harness calls it at the end of a run. The id is the run's own, so a " +
    "second record of it is 409 `gameday-exists` (with the same Idempotency-Key, the first answer is " +
    "replayed instead). The body may be up to 512 KiB.",
  security: bearerAuth,
  middleware: [...adminAction("gamedays.record"), idempotency()] as const,
  request: {
    headers: idempotencyKeyHeaders(),
    body: { required: true, content: { "application/json": { schema: RecordGamedayRequestSchema } } },
  },
  responses: {
    201: { ...jsonResponse(GamedaySchema, "Recorded"), headers: replayedHeader },
    ...problems(409),
  },
});

export const GamedayListQuery = z.strictObject({
  scenario: Scenario.optional().openapi({ description: "Only runs of this scenario." }),
  verdict: z.enum(GAMEDAY_VERDICTS).optional().openapi({ description: "Only runs with this verdict." }),
  ...pageQuery,
});

export const listGamedaysRoute = createRoute({
  method: "get",
  path: "/ops/gamedays",
  tags: TAGS,
  summary: "Game-day runs, newest first, with their verdicts",
  description: "Admins only. Ordered by when each run started.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { query: GamedayListQuery },
  responses: { 200: jsonResponse(pageOf(GamedaySchema, "GamedayPage"), "A page") },
});

export const getGamedayRoute = createRoute({
  method: "get",
  path: "/ops/gamedays/{id}",
  tags: TAGS,
  summary: "One game-day run with its checks and Markdown report",
  description: "Admins only. An unknown id is a 404.",
  security: bearerAuth,
  middleware: [adminOnly] as const,
  request: { params: pathParam("id", "consumer-failure-2026-12-05T10-00-00Z-1234") },
  responses: { 200: jsonResponse(GamedayDetailSchema, "The run"), ...problems(404) },
});
