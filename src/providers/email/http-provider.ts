import type { EmailMessage, EmailProvider } from "./provider";

/** How long a send waits for the provider unless told otherwise. */
export const DEFAULT_EMAIL_TIMEOUT_MS = 10_000;

/** Statuses worth retrying although they are 4xx: a timeout and a rate limit pass with time. */
const TRANSIENT_4XX = new Set([408, 429]);

/**
 * The provider refused or never answered. `status` is null when no response came (network error,
 * timeout). `permanent` marks a refusal that a retry cannot fix (a 4xx other than 408/429, e.g. a bad
 * address); it is still thrown like any failure, so the event retries and then dead-letters where an
 * operator sees it, rather than vanishing.
 */
export class EmailProviderError extends Error {
  override readonly name = "EmailProviderError";
  readonly permanent: boolean;

  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.permanent = status !== null && status >= 400 && status < 500 && !TRANSIENT_4XX.has(status);
  }
}

export interface HttpEmailProviderOptions {
  url: string;
  apiKey: string;
  from: string;
  timeoutMs?: number;
  /** Injected in unit tests; defaults to the global fetch, looked up at call time. */
  fetch?: typeof fetch;
}

/**
 * Sends through an HTTP email API: `POST url` with a JSON body, `Authorization: Bearer <apiKey>` and
 * `Idempotency-Key`, which the provider uses to send a retried request only once. Any non-2xx answer
 * or a timeout throws an EmailProviderError.
 *
 * @example
 * const provider = new HttpEmailProvider({ url: env.EMAIL_API_URL, apiKey: env.EMAIL_API_KEY, from: env.EMAIL_FROM });
 */
export class HttpEmailProvider implements EmailProvider {
  private readonly fetch: typeof fetch;

  constructor(private readonly o: HttpEmailProviderOptions) {
    this.fetch = o.fetch ?? ((input, init) => fetch(input, init));
  }

  async send(message: EmailMessage, idempotencyKey: string): Promise<{ providerMessageId: string }> {
    let res: Response;
    try {
      res = await this.fetch(this.o.url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.o.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        },
        body: JSON.stringify({
          from: this.o.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          tags: { template: message.template, eventId: message.eventId },
        }),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? DEFAULT_EMAIL_TIMEOUT_MS),
      });
    } catch (err) {
      const reason = (err as Error)?.name === "TimeoutError" ? "timed out" : String((err as Error)?.message);
      throw new EmailProviderError(`email provider request failed: ${reason}`, null);
    }
    if (!res.ok) {
      // Only the start of the body: enough to diagnose, never a whole HTML error page in a log.
      const detail = (await res.text().catch(() => "")).slice(0, 300);
      throw new EmailProviderError(`email provider answered ${res.status}: ${detail}`, res.status);
    }
    const body = (await res.json().catch(() => ({}))) as { id?: unknown };
    return { providerMessageId: typeof body.id === "string" ? body.id : idempotencyKey };
  }
}
