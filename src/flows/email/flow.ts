import { CHECKOUT_EVENTS } from "../../domain/checkout/published-events";
import { opsAlertRaised } from "../../domain/events/catalog/ops-alert-raised";
import { reportGenerated } from "../../domain/events/catalog/report-generated";
import { userRegistered } from "../../domain/events/catalog/user-registered";
import { SETTLEMENT_EVENTS } from "../../domain/settlements/events";
import { defineFlow } from "../../platform/events/registry";

/** Email: the messages people get when something happened to them. It publishes no fact of its own. */
export const emailFlow = defineFlow({
  name: "email",
  events: {},
  consumers: {
    email: {
      description: "Sends the welcome, order, statement, report and alert emails.",
      producer: "EMAIL_QUEUE",
      delivery: { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 5, retryDelay: 2 },
      subscribes: [
        userRegistered.type,
        opsAlertRaised.type,
        CHECKOUT_EVENTS["order.confirmed"].type,
        CHECKOUT_EVENTS["order.cancelled"].type,
        SETTLEMENT_EVENTS["settlement.completed"].type,
        reportGenerated.type,
      ],
    },
  },
});
