import type { Db } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding/sha256";
import { mailbox } from "../../platform/events/schema";
import type { EmailMessage, EmailProvider } from "./provider";

/** The mailbox row id for an idempotency key: the same key always names the same row. */
export async function mailboxIdFor(idempotencyKey: string): Promise<string> {
  return `mail_${(await sha256Hex(idempotencyKey)).slice(0, 32)}`;
}

/**
 * The local provider: "sends" by storing the message in the `mailbox` table (read at GET /ops/mailbox).
 * The row id is derived from the idempotency key and the insert ignores a conflict, so sending the same
 * email twice leaves one row, as a real provider honouring Idempotency-Key sends one email.
 */
export class MailboxProvider implements EmailProvider {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async send(message: EmailMessage, idempotencyKey: string): Promise<{ providerMessageId: string }> {
    const id = await mailboxIdFor(idempotencyKey);
    await this.db
      .insert(mailbox)
      .values({ id, ...message, sentAt: this.now() })
      .onConflictDoNothing({ target: mailbox.id });
    return { providerMessageId: id };
  }
}
