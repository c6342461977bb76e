/**
 * The checkout saga, as pure functions. The order's Durable Object loads the state, calls `decide`,
 * applies the events with `evolve`, persists, publishes the `isPublished` events, arms `alarmAt`, runs
 * the commands and answers each with `stepSucceeded` / `stepFailed`. See docs/ARCHITECTURE.md
 * ("Checkout saga").
 */
export { CANCEL_REASONS } from "./cancel-reasons";
export type * from "./commands";
export { type Decision, decide, type Rejection, type RejectionReason } from "./decide";
export type { DecideContext } from "./draft";
export { CHECKOUT_EVENTS, type CheckoutEventData, type CheckoutEventType } from "./events";
export { evolve, evolveAll } from "./evolve";
export * from "./messages";
export { DEFAULT_SAGA_POLICY, type SagaPolicy } from "./policy";
export {
  type EventOf,
  type InternalEvent,
  isPublished,
  type PublishedEvent,
  type SagaEvent,
  type SagaEventType,
} from "./saga-events";
export * from "./saga-state";
export {
  type Actor,
  ActorSchema,
  type CancelReason,
  CancelReasonSchema,
  type CheckoutLine,
  type OrderDetails,
  OrderDetailsSchema,
  type OrderLine,
  OrderLineSchema,
  type StepError,
  StepErrorSchema,
} from "./schemas";
export { statusMessage } from "./status-message";
export * from "./steps";
