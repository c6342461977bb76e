import { defineFlow } from "../../platform/events/registry";
import { CHECKOUT_EVENTS } from "../checkout/events";
import { reportGenerated } from "./report-generated";
import { reportRequested } from "./report-requested";

/** Reports: CSVs built in the background into R2, emailed when ready. */
export const reportsFlow = defineFlow({
  name: "reports",
  events: { [reportRequested.type]: reportRequested, [reportGenerated.type]: reportGenerated },
  consumers: {
    "sales-lines": {
      description:
        "Keeps `sales_lines` (one row per confirmed order line, per merchant) for the sales report.",
      producer: "SALES_LINES_QUEUE",
      delivery: { maxBatchSize: 100, maxBatchTimeout: 1, maxRetries: 10, retryDelay: 2 },
      subscribes: [CHECKOUT_EVENTS["order.confirmed"].type, CHECKOUT_EVENTS["order.refunded"].type],
    },
    // One report per invocation; the last attempt marks the report failed.
    reports: {
      description: "Builds each requested report's CSV into R2 from `report.requested`.",
      producer: "REPORTS_QUEUE",
      delivery: { maxBatchSize: 1, maxBatchTimeout: 1, maxRetries: 3, retryDelay: 5 },
      subscribes: [reportRequested.type],
    },
  },
});
