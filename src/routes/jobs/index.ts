import { createRouter } from "../../platform/http/router";
import { getJobHandler, streamJobHandler } from "./jobs.handlers";
import { getJob, streamJob } from "./jobs.routes";

/** Long work's status resource: every 202 for background work points here. */
export const jobRoutes = createRouter().openapi(getJob, getJobHandler).openapi(streamJob, streamJobHandler);
