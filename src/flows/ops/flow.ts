import { defineFlow } from "../../platform/events/registry";
import { opsAlertRaised } from "./events";

/** Ops: alert rules over the backbone's health; an alert raised is emailed (the email flow hears it). */
export const opsFlow = defineFlow({
  name: "ops",
  events: { [opsAlertRaised.type]: opsAlertRaised },
  consumers: {},
});
