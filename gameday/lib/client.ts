/**
 * An HTTP client that behaves like a careful real one: on a network error, a 5xx, 408, 429 or 409
 * `idempotency-request-in-flight` it sends the very same request again (same body, same
 * Idempotency-Key), honouring Retry-After, until it gets a definite answer or its patience runs out.
 */
import { setTimeout as sleep } from "node:timers/promises";

export interface ApiRequest {
  method: "GET" | "POST" | "DELETE";
  path: string;
  token?: string;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: { body: string; contentType: string };
  idempotencyKey?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

/** One logical request: every attempt it took, and the answer it ended with (null: gave up). */
export interface Exchange {
  sentAt: number;
  endedAt: number;
  attempts: number;
  networkErrors: number;
  answer: Answer | null;
  lastError: string | null;
}

export interface ClientOptions {
  /** How long to keep retrying one request before recording it as indeterminate. */
  giveUpMs: number;
  attemptTimeoutMs: number;
}

const problemType = (body: unknown): string =>
  typeof body === "object" && body !== null && "type" in body ? String(body.type) : "";

/** Whether a careful client sends the same request again rather than taking this as the answer. */
export function isRetryable(answer: Answer): boolean {
  if (answer.status >= 500 || answer.status === 408 || answer.status === 429) return true;
  return answer.status === 409 && problemType(answer.body).endsWith("idempotency-request-in-flight");
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly options: ClientOptions,
  ) {}

  /** One attempt; throws on a network error or timeout. */
  async once(req: ApiRequest): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.idempotencyKey) headers["idempotency-key"] = req.idempotencyKey;
    let body: string | undefined;
    if (req.raw) {
      headers["content-type"] = req.raw.contentType;
      body = req.raw.body;
    } else if (req.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(req.json);
    }
    const res = await fetch(new URL(req.path, this.baseUrl), {
      method: req.method,
      headers,
      body,
      signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === "" ? null : JSON.parse(text);
    } catch {
      // Not JSON (a CSV, a workerd error page): kept as text.
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** The request, retried as a real client would until a definite answer or `giveUpMs`. */
  async send(req: ApiRequest): Promise<Exchange> {
    const sentAt = Date.now();
    let attempts = 0;
    let networkErrors = 0;
    let lastError: string | null = null;
    let last: Answer | null = null;
    while (true) {
      attempts++;
      let waitMs = Math.min(2000, 100 * 2 ** Math.min(attempts, 5));
      try {
        last = await this.once(req);
        if (!isRetryable(last))
          return { sentAt, endedAt: Date.now(), attempts, networkErrors, answer: last, lastError };
        lastError = `${last.status} ${problemType(last.body)}`;
        const retryAfter = Number(last.headers.get("retry-after"));
        if (retryAfter > 0) waitMs = Math.min(retryAfter * 1000, 5000);
      } catch (err) {
        networkErrors++;
        lastError = (err as Error).message;
      }
      if (Date.now() - sentAt + waitMs > this.options.giveUpMs) {
        // A retryable answer is still not a definite one: the client never learnt the outcome.
        return { sentAt, endedAt: Date.now(), attempts, networkErrors, answer: null, lastError };
      }
      await sleep(waitMs);
    }
  }

  /** A request whose answer the harness needs (setup, reads): throws unless it ends in `expect`. */
  async must<T>(req: ApiRequest, expect: number[] = [200]): Promise<T> {
    const ex = await this.send(req);
    if (!ex.answer || !expect.includes(ex.answer.status))
      throw new Error(
        `${req.method} ${req.path}: ${ex.answer ? `${ex.answer.status} ${JSON.stringify(ex.answer.body).slice(0, 300)}` : ex.lastError}`,
      );
    return ex.answer.body as T;
  }
}
