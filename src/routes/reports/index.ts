import { createRouter } from "../../platform/http/router";
import { createReportHandler, downloadReportHandler, getReportHandler } from "./reports.handlers";
import { createReport, downloadReport, getReport } from "./reports.routes";

/** Reports: ask for a CSV (answered with its job), read it, download it once ready. */
export const reportRoutes = createRouter()
  .openapi(createReport, createReportHandler)
  .openapi(getReport, getReportHandler)
  .openapi(downloadReport, downloadReportHandler);
