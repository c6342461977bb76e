import type { EventData } from "../../../platform/events/registry";
import { escapeHtml, layout, type RenderedEmail } from "./html";

/**
 * The operators' email for a raised alert: what fired, the measured value against its threshold, and
 * the alert id to find it among the recorded alerts.
 */
export function renderAlert(alert: EventData<"ops.alert.raised">): RenderedEmail {
  const subject = `[Crossdock alert] ${alert.rule}`;
  const lines = [
    alert.message,
    `Metric: ${alert.metric} = ${alert.value} (threshold ${alert.threshold})`,
    `Alert id: ${alert.alertId}`,
  ];
  return {
    subject,
    text: `${lines.join("\n")}\n`,
    html: layout(subject, lines.map(escapeHtml)),
  };
}
