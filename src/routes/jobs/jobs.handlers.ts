import type { RouteHandler } from "@hono/zod-openapi";
import { getDb } from "../../platform/db/client";
import type { AppEnv } from "../../platform/http/app-env";
import { eventStream, lastSeenVersion } from "../../platform/http/event-stream";
import { principalOf } from "../../platform/http/principal";
import { findJob } from "../../platform/jobs/find-job";
import { errorFields } from "../../platform/observability/logger";
import { followJob, sawJobEnd } from "./job-stream";
import type { getJob, streamJob } from "./jobs.routes";
import { toJobResponse } from "./jobs.schemas";

export const getJobHandler: RouteHandler<typeof getJob, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await findJob(getDb(c.env.DB), id, principalOf(c).userId);
  return c.json(toJobResponse(row), 200);
};

export const streamJobHandler: RouteHandler<typeof streamJob, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const db = getDb(c.env.DB);
  const ownerId = principalOf(c).userId;
  const row = await findJob(db, id, ownerId);
  const seen = lastSeenVersion(c.req.header("last-event-id"));
  return eventStream(c, sawJobEnd(row, seen), (stream) =>
    // A failed read ends the stream (its EventSource reconnects and resumes from Last-Event-ID); the
    // status line is already sent, so the error is logged here rather than answered.
    followJob(stream, db, row, ownerId, seen, c.var.clock).catch((err: unknown) =>
      c.get("log").error("job-stream.failed", { jobId: id, ...errorFields(err) }),
    ),
  );
};
