import type { CurrentEvent } from "../domain/events/upcast";
import type { EmailMessage } from "../platform/email/provider";
import { selectEmailProvider } from "../platform/email/select-provider";
import type { ExternalConsumer } from "../platform/events/consumer";
import { renderAlert } from "./email/templates/alert";
import { renderWelcome } from "./email/templates/welcome";

type EmailEvent = CurrentEvent<"user.registered" | "ops.alert.raised">;

/** OPS_ALERT_EMAILS, comma-separated, as a list of addresses. */
export const opsRecipients = (env: Pick<Env, "OPS_ALERT_EMAILS">): string[] =>
  (env.OPS_ALERT_EMAILS ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "");

/** The emails an event calls for, in a stable order (the order is part of each idempotency key). */
export function emailsFor(event: EmailEvent, env: Pick<Env, "OPS_ALERT_EMAILS">): EmailMessage[] {
  switch (event.type) {
    case "user.registered":
      return [{ to: event.data.email, template: "welcome", eventId: event.id, ...renderWelcome(event.data) }];
    case "ops.alert.raised": {
      const rendered = renderAlert(event.data);
      return opsRecipients(env).map((to) => ({ to, template: "ops-alert", eventId: event.id, ...rendered }));
    }
    default: {
      const unhandled: never = event;
      throw new Error(`email: no email for event type ${(unhandled as { type: string }).type}`);
    }
  }
}

/**
 * Sends the emails events call for: a welcome to each new user, every raised alert to the operators.
 * The runtime claims the event id before and marks it done after, so a duplicate delivery sends
 * nothing; each send also carries `<event id>:<recipient index>` as the provider's idempotency key, so
 * a retry after a partial failure (two of three operators emailed) re-sends only what did not go out.
 */
export const emailConsumer = {
  name: "email",
  effect: "external",
  // A provider call times out after 10 s; three of them fit, with room to spare.
  leaseMs: 30_000,
  async handle(event, ctx) {
    const messages = emailsFor(event, ctx.env);
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
