import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";

const V1 = z.object({
  alertId: z.string(),
  rule: z.string(),
  /** What was measured, e.g. `dead_letters.oldest_age_seconds`. */
  metric: z.string(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});

export const opsAlertRaised = defineEvent({
  type: "ops.alert.raised",
  description:
    "An operational alert rule started firing (dead letters or outbox backlog too old or too large).",
  subject: "alert",
  current: V1,
  versions: [
    {
      version: 1,
      schema: V1,
      example: {
        alertId: "alr_01",
        rule: "dead-letters-oldest-age",
        metric: "dead_letters.oldest_age_seconds",
        value: 7200,
        threshold: 3600,
        message: "The oldest dead letter is 7200 s old (threshold 3600 s).",
      },
    },
  ],
});
