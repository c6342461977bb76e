import { opsAlertRaised } from "../../domain/events/catalog/ops-alert-raised";
import { defineFlow } from "../../platform/events/registry";

/** Ops: alert rules over the backbone's health; an alert raised is emailed (the email flow hears it). */
export const opsFlow = defineFlow({
  name: "ops",
  events: { [opsAlertRaised.type]: opsAlertRaised },
  consumers: {},
});
