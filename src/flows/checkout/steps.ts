/**
 * The saga's steps. Forward steps run in order; compensations undo a forward step; refund steps run on
 * a confirmed, captured order when a refund is requested.
 */
export const FORWARD_STEPS = [
  "reserve-inventory",
  "authorize-payment",
  "confirm-order",
  "capture-payment",
] as const;
export const COMPENSATION_STEPS = ["release-inventory", "void-authorization"] as const;
export const REFUND_STEPS = ["refund-payment", "restock-inventory"] as const;
export const STEP_NAMES = [...FORWARD_STEPS, ...COMPENSATION_STEPS, ...REFUND_STEPS] as const;

export type StepName = (typeof STEP_NAMES)[number];
export type ForwardStep = (typeof FORWARD_STEPS)[number];
export type CompensationStep = (typeof COMPENSATION_STEPS)[number];

/**
 * Steps before the point of no return. When one fails for good (permanent error, retries exhausted, or
 * a timeout the policy does not retry) the order is cancelled. Every other step must eventually succeed
 * and is retried for as long as it takes — except a permanently failing capture, which stops and is
 * reported for operators (`payment.capture_failed`).
 */
export type AbortableStep = "reserve-inventory" | "authorize-payment" | "confirm-order";

export const isAbortable = (step: StepName): step is AbortableStep =>
  step === "reserve-inventory" || step === "authorize-payment" || step === "confirm-order";

/** The compensation a forward step records once it succeeded (or may have: see `Compensation`). */
export const COMPENSATION_OF = {
  "reserve-inventory": "release-inventory",
  "authorize-payment": "void-authorization",
} as const satisfies Partial<Record<ForwardStep, CompensationStep>>;

export type CompensableStep = keyof typeof COMPENSATION_OF;

export const isCompensable = (step: StepName): step is CompensableStep =>
  Object.hasOwn(COMPENSATION_OF, step);

const KEY_VERB: Record<StepName, string> = {
  "reserve-inventory": "reserve",
  "authorize-payment": "authorize",
  "confirm-order": "confirm",
  "capture-payment": "capture",
  "release-inventory": "release",
  "void-authorization": "void",
  "refund-payment": "refund",
  "restock-inventory": "restock",
};

/**
 * The idempotency key of a step run: `ord_1:authorize`, `ord_1:capture`, … Every attempt of a run
 * shares it, so a retried effect happens once. Only a compensation can run twice for one order (a
 * second void or release after a late answer showed the first may have come too early); its second
 * run gets `:2` so a gateway does not replay the first run's answer.
 *
 * @example
 * idempotencyKeyFor("ord_1", "void-authorization", 2); // "ord_1:void:2"
 */
export function idempotencyKeyFor(orderId: string, step: StepName, run = 1): string {
  const key = `${orderId}:${KEY_VERB[step]}`;
  return run === 1 ? key : `${key}:${run}`;
}
