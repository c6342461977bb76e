import type { FaultsEnv } from "../../platform/faults/client";
import { InjectedFault } from "../../platform/faults/model";
import { strikingOutage } from "../../platform/faults/provider-faults";
import { createLogger, type Logger } from "../../platform/observability/logger";
import { DEFAULT_EMAIL_TIMEOUT_MS } from "./http-provider";
import type { EmailMessage, EmailProvider } from "./provider";

/**
 * The configured email provider behind the game-day faults (src/platform/faults): while a
 * `provider-outage` fault on `email` is active, every send (or the fault's `rate` of them) throws an InjectedFault without reaching the
 * provider — at once for `fail`, after the HTTP provider's timeout for `timeout` — so the email
 * consumer's event retries as in a real outage, its attempt recorded as `injected`. Each is logged as
 * `fault.injected` and counted on the fault. `selectEmailProvider` puts it in front only when fault
 * injection is on.
 *
 * @example
 * const provider = new OutageEmailProvider(new MailboxProvider(db), env);
 */
export class OutageEmailProvider implements EmailProvider {
  constructor(
    private readonly inner: EmailProvider,
    private readonly env: FaultsEnv,
    private readonly timeoutMs = DEFAULT_EMAIL_TIMEOUT_MS,
    private readonly log: Logger = createLogger({ provider: "email" }),
    private readonly random: () => number = Math.random,
  ) {}

  async send(message: EmailMessage, idempotencyKey: string): Promise<{ providerMessageId: string }> {
    const outage = await strikingOutage(
      this.env,
      "email",
      this.log,
      { eventId: message.eventId, template: message.template },
      this.random,
    );
    if (!outage) return this.inner.send(message, idempotencyKey);
    if (outage.mode === "timeout") await new Promise((resolve) => setTimeout(resolve, this.timeoutMs));
    throw new InjectedFault(
      outage.id,
      outage.kind,
      outage.mode === "fail"
        ? "email provider outage, the send failed"
        : `email provider outage, no answer within ${this.timeoutMs} ms`,
    );
  }
}
