import type { EventData } from "../../../platform/events/registry";
import { escapeHtml, layout, type RenderedEmail } from "./html";

type Registered = EventData<"user.registered">;

const NEXT_STEP: { readonly [R in Registered["role"]]: string } = {
  buyer:
    "Your buyer account is ready: browse the catalog, get a price quote and check out whenever you like.",
  merchant:
    "Your merchant account is ready: create an API key with the catalog:write scope to list your products, then watch the orders come in.",
};

/**
 * The welcome email after sign-up; buyers and merchants are told their own next step.
 *
 * @example
 * renderWelcome({ userId: "usr_1", email: "ada@example.com", name: "Ada", role: "buyer" }).subject;
 * // "Welcome to Crossdock, Ada"
 */
export function renderWelcome(user: Registered): RenderedEmail {
  const subject = `Welcome to Crossdock, ${user.name}`;
  const greeting = `Hello ${user.name},`;
  const signOff = "The Crossdock team";
  return {
    subject,
    text: `${greeting}\n\n${NEXT_STEP[user.role]}\n\n${signOff}\n`,
    html: layout(subject, [escapeHtml(greeting), escapeHtml(NEXT_STEP[user.role]), escapeHtml(signOff)]),
  };
}
