import type { StepCommand } from "./commands";
import { CHECKOUT_EVENTS, type CheckoutEventData, type CheckoutEventType } from "./events";
import type { Compensation } from "./saga-state";
import type { StepError } from "./schemas";
import type { StepName } from "./steps";

/** A fact the saga publishes through the outbox (see `CHECKOUT_EVENTS`). `at` is when it happened. */
export type PublishedEvent = {
  [T in CheckoutEventType]: { type: T; at: number; data: CheckoutEventData<T> };
}[CheckoutEventType];

/**
 * The saga's own bookkeeping: which attempt runs, failed, is retried. Applied by `evolve` like any
 * event but never published — consumers want `payment.authorized`, not attempt 3 of 5.
 */
export type InternalEvent =
  | { type: "saga.step_started"; at: number; data: { command: StepCommand } }
  | {
      type: "saga.step_succeeded";
      at: number;
      /** `late`: the answer came after the step was given up (it still happened; see decide). */
      data: { step: StepName; idempotencyKey: string; attempt: number; late: boolean; detail: string | null };
    }
  | {
      type: "saga.step_failed";
      at: number;
      /** `retryAt` null: given up for good. */
      data: {
        step: StepName;
        idempotencyKey: string;
        attempt: number;
        error: StepError;
        retryAt: number | null;
      };
    }
  | { type: "saga.step_abandoned"; at: number; data: { step: StepName; idempotencyKey: string; why: string } }
  | { type: "saga.compensation_recorded"; at: number; data: { compensation: Compensation } };

export type SagaEvent = PublishedEvent | InternalEvent;
export type SagaEventType = SagaEvent["type"];
export type EventOf<T extends SagaEventType> = Extract<SagaEvent, { type: T }>;

/** Whether the shell writes this event to the outbox (`newEvent(e.type, orderId, e.data, …)`). */
export const isPublished = (event: SagaEvent): event is PublishedEvent =>
  Object.hasOwn(CHECKOUT_EVENTS, event.type);
