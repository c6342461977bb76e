import type { RouteHandler } from "@hono/zod-openapi";
import { getDb } from "../../db/client";
import { principalOf } from "../../platform/auth/authenticate";
import type { AppEnv } from "../../platform/http/app-env";
import { findOwnJob } from "../../platform/jobs/find-job";
import { jobEventStream } from "./job-stream";
import type { getJob, streamJob } from "./jobs.routes";
import { toJobResponse } from "./jobs.schemas";

export const getJobHandler: RouteHandler<typeof getJob, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await findOwnJob(getDb(c.env.DB), id, principalOf(c).userId);
  return c.json(toJobResponse(row), 200);
};

/** Last-Event-ID is the last version the client saw; anything unparseable means "nothing yet". */
function lastSeenVersion(header: string | undefined): number {
  const n = Number(header);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export const streamJobHandler: RouteHandler<typeof streamJob, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const db = getDb(c.env.DB);
  const ownerId = principalOf(c).userId;
  const row = await findOwnJob(db, id, ownerId);
  const body = jobEventStream(db, row, ownerId, lastSeenVersion(c.req.header("last-event-id")));
  return new Response(body, {
    status: 200,
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache", "x-accel-buffering": "no" },
  });
};
