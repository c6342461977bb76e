/** An email ready to send: rendered, addressed, and named after the template that produced it. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Template name (`welcome`, `ops-alert`), kept with the message for the mailbox and provider tags. */
  template: string;
  /** The event that caused the email, so a sent message can be traced back to it. */
  eventId: string;
}

/**
 * Sends one email. `idempotencyKey` is stable across retries of the same email (the event id plus the
 * recipient's index), so a provider that honours it sends at most once however often it is called.
 * Throws when the email was not accepted; the consumer runtime then retries the event.
 *
 * @example
 * const { providerMessageId } = await provider.send(message, `${event.id}:0`);
 */
export interface EmailProvider {
  send(message: EmailMessage, idempotencyKey: string): Promise<{ providerMessageId: string }>;
}
