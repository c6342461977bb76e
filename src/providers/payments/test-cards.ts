/**
 * The sandbox's test payment methods — a public contract: client apps and end-to-end tests use these
 * names to choose what the provider does with an authorization. Any other payment method is rejected
 * (`payment_method_invalid`). Only authorize looks at the method; capture, void and refund of an
 * authorization follow the state rules whatever card it was.
 */
export const TEST_PAYMENT_METHODS = {
  /** Authorized at once. */
  pm_card_visa: "succeeds",
  /** Declined with `card_declined`. */
  pm_card_declined: "declined",
  /** Recorded as pending, never answered: the client gives up at its timeout (outcome unknown). */
  pm_card_timeout: "never_answers",
  /** Authorized, but the answer comes after SANDBOX_SLOW_MS. */
  pm_card_slow: "slow",
  /** The first attempts per idempotency key fail transiently (nothing recorded), then it succeeds. */
  pm_card_flaky: "flaky",
} as const;

export type TestPaymentMethod = keyof typeof TEST_PAYMENT_METHODS;
export type CardBehaviour = (typeof TEST_PAYMENT_METHODS)[TestPaymentMethod];

export function cardBehaviour(paymentMethod: string): CardBehaviour | null {
  return Object.hasOwn(TEST_PAYMENT_METHODS, paymentMethod)
    ? TEST_PAYMENT_METHODS[paymentMethod as TestPaymentMethod]
    : null;
}
