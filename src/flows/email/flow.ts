import { defineFlow } from "../../platform/events/registry";
import { userRegistered } from "../accounts/events";
import { CHECKOUT_EVENTS } from "../checkout/events";
import { opsAlertRaised } from "../ops/events";
import { reportGenerated } from "../reports/report-generated";
import { SETTLEMENT_EVENTS } from "../settlements/events";

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
