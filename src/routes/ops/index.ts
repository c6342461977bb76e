import { createRouter } from "../../platform/http/router";
import { evaluateAlertsNow, listAlerts } from "./alerts.handlers";
import { evaluateAlertsRoute, listAlertsRoute } from "./alerts.routes";
import { listAudit } from "./audit.handlers";
import { listAuditRoute } from "./audit.routes";
import { writeBacklog } from "./backlog.handlers";
import { backlogRoute } from "./backlog.routes";
import { getCosts } from "./costs.handlers";
import { costsRoute } from "./costs.routes";
import {
  bulkRedrive,
  deleteDeadLetter,
  getDeadLetter,
  listDeadLetters,
  redriveDeadLetter,
} from "./dead-letters.handlers";
import {
  bulkRedriveRoute,
  deleteDeadLetterRoute,
  getDeadLetterRoute,
  listDeadLettersRoute,
  redriveDeadLetterRoute,
} from "./dead-letters.routes";
import { listDeliveries } from "./deliveries.handlers";
import { listDeliveriesRoute } from "./deliveries.routes";
import { getEvent } from "./events.handlers";
import { getEventRoute } from "./events.routes";
import { clearAllFaults, clearFault, listFaults, setFault } from "./faults.handlers";
import { clearAllFaultsRoute, clearFaultRoute, listFaultsRoute, setFaultRoute } from "./faults.routes";
import { getGameday, listGamedays, recordGameday } from "./gamedays.handlers";
import { getGamedayRoute, listGamedaysRoute, recordGamedayRoute } from "./gamedays.routes";
import { listMailbox } from "./mailbox.handlers";
import { listMailboxRoute } from "./mailbox.routes";
import { getMetrics } from "./metrics.handlers";
import { metricsRoute } from "./metrics.routes";
import {
  getRedriveRunHandler,
  redriveRunCommandHandler,
  startRedriveRunHandler,
} from "./redrive-runs.handlers";
import { getRedriveRunRoute, redriveRunCommandRoute, startRedriveRunRoute } from "./redrive-runs.routes";
import { runSettlements } from "./settlements.handlers";
import { runSettlementsRoute } from "./settlements.routes";
import { getTrace } from "./traces.handlers";
import { getTraceRoute } from "./traces.routes";

/**
 * Operations, admin only: dead letters (inspect, redrive one, in bulk or as a throttled run, discard), outstanding deliveries, alerts, Prometheus metrics, costs,
 * request traces, single events, the local mailbox, settlement runs, game-day faults (and a synthetic backlog)
 * game-day runs, and the audit log of every operator action. See docs/OPERATIONS.md.
 */
export const opsRoutes = createRouter()
  .openapi(listDeadLettersRoute, listDeadLetters)
  .openapi(bulkRedriveRoute, bulkRedrive)
  .openapi(getDeadLetterRoute, getDeadLetter)
  .openapi(redriveDeadLetterRoute, redriveDeadLetter)
  .openapi(deleteDeadLetterRoute, deleteDeadLetter)
  .openapi(startRedriveRunRoute, startRedriveRunHandler)
  .openapi(getRedriveRunRoute, getRedriveRunHandler)
  .openapi(redriveRunCommandRoute("pause"), redriveRunCommandHandler("pause"))
  .openapi(redriveRunCommandRoute("resume"), redriveRunCommandHandler("resume"))
  .openapi(redriveRunCommandRoute("cancel"), redriveRunCommandHandler("cancel"))
  .openapi(listDeliveriesRoute, listDeliveries)
  .openapi(listAlertsRoute, listAlerts)
  .openapi(evaluateAlertsRoute, evaluateAlertsNow)
  .openapi(metricsRoute, getMetrics)
  .openapi(costsRoute, getCosts)
  .openapi(getTraceRoute, getTrace)
  .openapi(getEventRoute, getEvent)
  .openapi(listMailboxRoute, listMailbox)
  .openapi(runSettlementsRoute, runSettlements)
  .openapi(backlogRoute, writeBacklog)
  .openapi(recordGamedayRoute, recordGameday)
  .openapi(listGamedaysRoute, listGamedays)
  .openapi(getGamedayRoute, getGameday)
  .openapi(listAuditRoute, listAudit)

  .openapi(listFaultsRoute, listFaults)
  .openapi(setFaultRoute, setFault)
  .openapi(clearAllFaultsRoute, clearAllFaults)
  .openapi(clearFaultRoute, clearFault);
