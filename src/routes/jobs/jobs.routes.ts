import { createRoute } from "@hono/zod-openapi";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import { JobIdParamsSchema, JobSchema } from "./jobs.schemas";

const tags = ["Jobs"];
// A key that may start long work may follow it: imports (catalog:write) and reports (reports:read).
const owner = authenticate({ scope: ["catalog:write", "reports:read"] });

export const getJob = createRoute({
  method: "get",
  path: "/v1/jobs/{id}",
  tags,
  summary: "Read one of your jobs: status, progress, result or error",
  description: "Someone else's job is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [owner] as const,
  request: { params: JobIdParamsSchema },
  responses: {
    200: { description: "The job", content: { "application/json": { schema: JobSchema } } },
    ...problems(404),
  },
});

export const streamJob = createRoute({
  method: "get",
  path: "/v1/jobs/{id}/stream",
  tags,
  summary: "Follow one of your jobs as Server-Sent Events",
  description:
    "`event: job` frames, each the whole job as in GET /v1/jobs/{id}: the current state at once, then one " +
    "per change (progress included), ending after the terminal one. The stream opens with `retry: 3000`. " +
    "Each frame's `id` is the job's version; a reconnecting client that sends `Last-Event-ID` hears only " +
    "newer states, and one that has already seen the terminal state gets 204, which tells an EventSource " +
    "to stop reconnecting. A `: keep-alive` comment is sent every 15 s; a stream is closed after 10 " +
    "minutes (an EventSource reconnects by itself).",
  security: bearerAuth,
  middleware: [owner] as const,
  request: { params: JobIdParamsSchema },
  responses: {
    200: {
      description: "An event stream of the job's states",
      content: { "text/event-stream": { schema: { type: "string" } } },
    },
    204: { description: "Last-Event-ID shows the terminal state was already seen: nothing more will come" },
    ...problems(404),
  },
});
