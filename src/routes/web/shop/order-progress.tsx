import type { z } from "@hono/zod-openapi";
import type { ForwardStep, StepName } from "../../../flows/checkout";
import type { CancelReason } from "../../../flows/checkout/schemas";
import type { OrderSchema } from "../../checkout/orders/orders.schemas";

export type Order = z.infer<typeof OrderSchema>;
type Status = Order["status"];
type Step = Order["steps"][number];

/**
 * The checkout a buyer follows, in their words, mapped from the saga's own step names (flows/checkout
 * steps.ts): capture is left out, it happens after the order is confirmed and a buyer has nothing to
 * wait for there.
 */
const STAGES: { step: Exclude<ForwardStep, "capture-payment">; doing: string; done: string }[] = [
  { step: "reserve-inventory", doing: "Reserving your items", done: "Your items are reserved" },
  { step: "authorize-payment", doing: "Confirming your payment", done: "Your payment is approved" },
  { step: "confirm-order", doing: "Confirming your order", done: "Confirmed" },
];

/** The first sentence of a cancelled order's explanation, per the saga's reason codes (cancel-reasons.ts). */
const WHY: Record<CancelReason["code"], string> = {
  "out-of-stock": "An item sold out before we could reserve it.",
  "item-unavailable": "An item is no longer available.",
  "inventory-unavailable": "We could not reserve your items just now.",
  "payment-declined": "Your card was declined.",
  "payment-timeout": "Your bank did not answer in time.",
  "payment-unavailable": "We could not reach your bank.",
  "confirmation-failed": "We could not confirm your order.",
  "requested-by-buyer": "You cancelled this order.",
  "cancelled-by-merchant": "The seller cancelled this order.",
  "cancelled-by-support": "Our support team cancelled this order.",
};

/**
 * How long a payment authorization may run before the page calls it slow. The sandbox's cards answer in
 * milliseconds except pm_card_slow (SANDBOX_SLOW_MS, 1 s); a real bank's answer usually comes well
 * within a second, and telling a buyer early that it is fine to leave costs nothing.
 */
export const PAYMENT_SLOW_AFTER_MS = 400;

export const STATUS_BADGE: Record<Status | "processing", { label: string; tone: string }> = {
  pending: { label: "Processing", tone: "info" },
  processing: { label: "Processing", tone: "info" },
  confirmed: { label: "Confirmed", tone: "ok" },
  cancelling: { label: "Cancelling", tone: "warn" },
  cancelled: { label: "Cancelled", tone: "danger" },
  refunding: { label: "Refunding", tone: "warn" },
  refunded: { label: "Refunded", tone: "info" },
};

export const StatusBadge = ({ status }: { status: Status | "processing" }) => (
  <span class={`badge ${STATUS_BADGE[status].tone}`}>{STATUS_BADGE[status].label}</span>
);

const lastRun = (order: Order, name: StepName): Step | undefined =>
  order.steps.findLast((s) => s.name === name);

const undid = (order: Order, name: StepName) => lastRun(order, name)?.status === "succeeded";

/** Nothing more happens on its own: the live stream ends here too. */
export const isSettled = (status: Status) =>
  status === "confirmed" || status === "cancelled" || status === "refunded";

/** The API's rule (decide.ts, requestCancel): pending, and not yet confirming. */
export const isCancellable = (order: Order) =>
  order.status === "pending" && lastRun(order, "confirm-order") === undefined;

type StageState = "done" | "running" | "failed" | "waiting" | "skipped" | "undoing" | "undone";
const STATE_WORDS: Record<StageState, string> = {
  done: "Done",
  running: "In progress",
  failed: "Stopped",
  waiting: "Next",
  skipped: "Not needed",
  undoing: "Undoing what was done",
  undone: "Everything undone",
};

function stageState(order: Order, step: StepName): StageState {
  const run = lastRun(order, step);
  // The last stage is where the order ended: confirmed, or cancelled with what was done given back.
  if (step === "confirm-order" && order.status !== "pending")
    return order.status === "cancelled" ? "undone" : order.status === "cancelling" ? "undoing" : "done";
  if (!run) return order.status === "pending" ? "waiting" : "skipped";
  if (run.status === "succeeded") return "done";
  if (run.status === "running" || run.status === "retrying") return "running";
  return "failed";
}

/** When the payment is being authorized, how long until it counts as slow (0: it is already). */
function paymentSlowIn(order: Order, now: number): number | null {
  const run = lastRun(order, "authorize-payment");
  if (order.status !== "pending" || !run || (run.status !== "running" && run.status !== "retrying"))
    return null;
  if (run.status === "retrying" || run.attempts > 1) return 0;
  return Math.max(0, PAYMENT_SLOW_AFTER_MS - (now - Date.parse(run.startedAt)));
}

/** What was undone for a cancelled (or cancelling) order, as one sentence. */
function undoneText(order: Order): string {
  const released = undid(order, "release-inventory");
  const voided = undid(order, "void-authorization");
  if (order.status === "cancelling") return "We're releasing your items and making sure nothing is charged.";
  const parts = [
    "Nothing was charged",
    released ? "the items were released" : null,
    voided ? "the hold on your card was removed" : null,
  ].filter(Boolean);
  return `${parts.length > 2 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts.join(" and ")}.`;
}

export const SLOW_PAYMENT_TEXT =
  "Your bank is taking longer than usual; we'll keep trying — you can leave this page, the order page will show the result.";

/** The sentence under the steps: why it stopped and what was undone, or what to expect. */
function Note({ order, now }: { order: Order; now: number }) {
  const slowIn = paymentSlowIn(order, now);
  if (slowIn !== null)
    return (
      <p class="notice notice-warn order-slow" hidden={slowIn > 0} data-slow-in={slowIn}>
        {SLOW_PAYMENT_TEXT}
      </p>
    );
  if ((order.status === "cancelled" || order.status === "cancelling") && order.cancelReason)
    return (
      <p class="notice notice-error">
        {WHY[order.cancelReason.code]} {undoneText(order)}
      </p>
    );
  if (order.status === "confirmed")
    return <p class="notice notice-ok">Your order is confirmed. The seller will ship it soon.</p>;
  if (order.status === "refunding" || order.status === "refunded")
    return <p class="notice">{order.statusMessage}.</p>;
  return null;
}

/**
 * The live part of the order page: the API's status message (announced politely), the buyer's steps and
 * the note under them. public/web/order.js swaps these in place from a fresh render of this page, so the
 * server stays the one place that turns the saga's state into words; `data-version` lets it tell a fresh
 * render from one the saga's D1 write has not reached yet.
 */
export function OrderProgress({ order, now }: { order: Order; now: number }) {
  const cancelled = order.status === "cancelled" || order.status === "cancelling";
  return (
    <section
      id="order-live"
      class="panel order-live"
      aria-labelledby="progress-heading"
      data-status={order.status}
    >
      <h2 id="progress-heading">
        Progress <StatusBadge status={order.status} />
      </h2>
      <p id="order-status" class="order-status" role="status" aria-live="polite">
        {order.statusMessage}
      </p>
      <ol class="order-steps">
        <li class="stage done">
          <span class="stage-mark" aria-hidden="true" />
          <span class="stage-label">Order received</span>
          <span class="stage-state">Done</span>
        </li>
        {STAGES.map(({ step, doing, done }) => {
          const state = stageState(order, step);
          const label = step === "confirm-order" && cancelled ? "Cancelled" : state === "done" ? done : doing;
          return (
            <li class={`stage ${state}`} aria-current={state === "running" ? "step" : undefined}>
              <span class="stage-mark" aria-hidden="true" />
              <span class="stage-label">{label}</span>
              <span class="stage-state">{STATE_WORDS[state]}</span>
            </li>
          );
        })}
      </ol>
      <div class="order-note">
        <Note order={order} now={now} />
      </div>
    </section>
  );
}
