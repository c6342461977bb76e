import { resumeStuckOrders } from "./durable-objects/checkout/resume-stuck-orders";
import { pruneAnalyticsEventIds } from "./flows/analytics/retention";
import { evaluateAlerts } from "./flows/ops/alerting";
import { type MaintenanceStep, pruneConsumerHistory } from "./platform/events/maintenance";
import { reconcileDeliveries } from "./platform/events/reconciler";
import { pruneOutbox, sweepOutbox } from "./platform/events/sweeper";

/**
 * What the every-minute cron (MAINTENANCE_CRON, src/crons.ts) runs, in order: the backbone's own steps and the flows'.
 * Sweep and reconcile first, so the alert rules measure the backlog they could not clear; prunes after
 * the reconciler, which settles the facts they may delete.
 */
export const MAINTENANCE_STEPS: readonly MaintenanceStep[] = [
  { name: "sweep-outbox", run: (env, now) => sweepOutbox(env, now) },
  { name: "reconcile-deliveries", run: (env, now, log) => reconcileDeliveries(env, now, log) },
  { name: "prune-outbox", run: (env, now) => pruneOutbox(env, now) },
  { name: "prune-consumer-history", run: (env, now) => pruneConsumerHistory(env, now) },
  { name: "prune-analytics-event-ids", run: (env, now) => pruneAnalyticsEventIds(env, now) },
  { name: "resume-stuck-orders", run: (env, now, log) => resumeStuckOrders(env, now, log) },
  { name: "evaluate-alerts", run: (env, now, log) => evaluateAlerts(env, now, log) },
];
