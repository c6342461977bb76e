import { eq, inArray } from "drizzle-orm";
import { users } from "../../flows/accounts/schema";
import { products } from "../../flows/catalog/schema";
import type { Db } from "../../platform/db/client";
import type { ExternalConsumer } from "../../platform/events/consumer";
import type { EventData } from "../../platform/events/registry";
import type { CurrentEvent } from "../../platform/events/upcast";
import type { EmailMessage } from "../../providers/email/provider";
import { selectEmailProvider } from "../../providers/email/select-provider";
import { renderAlert } from "./templates/alert";
import { type ProductTitles, renderOrderCancelled, renderOrderConfirmed } from "./templates/order";
import { renderReportReady } from "./templates/report";
import { renderSettlementStatement } from "./templates/settlement";
import { renderWelcome } from "./templates/welcome";

type EmailEvent = CurrentEvent<
  | "user.registered"
  | "ops.alert.raised"
  | "order.confirmed"
  | "order.cancelled"
  | "settlement.completed"
  | "report.generated"
>;

/** What an order email needs beyond the event: where the buyer reads mail, and the products' titles. */
export interface OrderContext {
  buyerEmail: string | null;
  titles: ProductTitles;
}

const NO_ORDER: OrderContext = { buyerEmail: null, titles: new Map() };

export async function orderContext(
  db: Db,
  order: EventData<"order.confirmed" | "order.cancelled">,
): Promise<OrderContext> {
  const [buyer] = await db.select({ email: users.email }).from(users).where(eq(users.id, order.buyerId));
  const ids = order.lines.map((l) => l.productId);
  const rows = await db
    .select({ id: products.id, title: products.title })
    .from(products)
    .where(inArray(products.id, ids));
  return { buyerEmail: buyer?.email ?? null, titles: new Map(rows.map((r) => [r.id, r.title])) };
}

/** Where a user reads mail, or null for an unknown id. */
export async function emailOf(db: Db, userId: string): Promise<string | null> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return user?.email ?? null;
}

/** OPS_ALERT_EMAILS, comma-separated, as a list of addresses. */
export const opsRecipients = (env: Pick<Env, "OPS_ALERT_EMAILS">): string[] =>
  (env.OPS_ALERT_EMAILS ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");

/** The account an email about this event goes to, when it goes to one account's own address. */
function accountEmailFor(db: Db, event: EmailEvent): Promise<string | null> {
  if (event.type === "settlement.completed") return emailOf(db, event.data.merchantId);
  if (event.type === "report.generated") return emailOf(db, event.data.ownerId);
  return Promise.resolve(null);
}

/**
 * The emails an event calls for, in a stable order (the order is part of each idempotency key).
 * `accountEmail` is the address of the account the email is for: the merchant for
 * `settlement.completed`, the owner for `report.generated`.
 */
export function emailsFor(
  event: EmailEvent,
  env: Pick<Env, "OPS_ALERT_EMAILS">,
  order: OrderContext = NO_ORDER,
  accountEmail: string | null = null,
): EmailMessage[] {
  const toBuyer = (template: string, rendered: ReturnType<typeof renderOrderConfirmed>) =>
    order.buyerEmail === null ? [] : [{ to: order.buyerEmail, template, eventId: event.id, ...rendered }];
  switch (event.type) {
    case "user.registered":
      return [{ to: event.data.email, template: "welcome", eventId: event.id, ...renderWelcome(event.data) }];
    case "ops.alert.raised": {
      const rendered = renderAlert(event.data);
      return opsRecipients(env).map((to) => ({ to, template: "ops-alert", eventId: event.id, ...rendered }));
    }
    case "order.confirmed":
      return toBuyer("order-confirmed", renderOrderConfirmed(event.data, order.titles));
    case "order.cancelled":
      return toBuyer("order-cancelled", renderOrderCancelled(event.data, order.titles));
    case "settlement.completed":
      return accountEmail === null
        ? []
        : [
            {
              to: accountEmail,
              template: "settlement-statement",
              eventId: event.id,
              ...renderSettlementStatement(event.data),
            },
          ];
    case "report.generated":
      return accountEmail === null
        ? []
        : [
            {
              to: accountEmail,
              template: "report-ready",
              eventId: event.id,
              ...renderReportReady(event.data),
            },
          ];
    default: {
      const unhandled: never = event;
      throw new Error(`email: no email for event type ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * Sends the emails events call for: a welcome to each new user, every raised alert to the operators,
 * the buyer's order confirmation or cancellation notice (to the address on their account), the
 * merchant's statement when a settlement completes, and "your report is ready" to a report's owner.
 * The runtime claims the event id before and marks it done after, so a duplicate delivery sends
 * nothing; each send also carries `<event id>:<recipient index>` as the provider's idempotency key, so
 * a retry after a partial failure (two of three operators emailed) re-sends only what did not go out.
 */
export const emailConsumer = {
  name: "email",
  effect: "external",
  // Renewed while the provider calls run (each times out after 10 s); a delivery that died blocks its
  // retry for at most 30 s.
  leaseMs: 30_000,
  async handle(event, ctx) {
    const order =
      event.type === "order.confirmed" || event.type === "order.cancelled"
        ? await orderContext(ctx.db, event.data)
        : undefined;
    const accountEmail = await accountEmailFor(ctx.db, event);
    const messages = emailsFor(event, ctx.env, order, accountEmail);
    if (messages.length === 0) {
      ctx.log.warn("email.no-recipients", { type: event.type });
      return;
    }
    const provider = selectEmailProvider(ctx.env);
    for (const [index, message] of messages.entries()) {
      const { providerMessageId } = await provider.send(message, `${event.id}:${index}`);
      ctx.log.info("email.sent", { template: message.template, recipientIndex: index, providerMessageId });
    }
  },
} satisfies ExternalConsumer<EmailEvent["type"]>;
