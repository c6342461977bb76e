import { DEFAULT_PAYMENT_TIMEOUT_MS, Deadline } from "./deadline";
import {
  PaymentDeclinedError,
  type PaymentError,
  PaymentRejectedError,
  PaymentTransientError,
} from "./errors";
import type {
  Authorization,
  AuthorizeRequest,
  CallOptions,
  Capture,
  CaptureRequest,
  PaymentGateway,
  Payout,
  PayoutRequest,
  Refund,
  RefundRequest,
  VoidRequest,
  VoidResult,
} from "./gateway";

export interface HttpGatewayOptions {
  /** Base URL, e.g. `https://api.payments-provider.example/v1` (PAYMENTS_API_URL). */
  apiUrl: string;
  /** Sent as `Authorization: Bearer …` (PAYMENTS_API_KEY). */
  apiKey: string;
  /** Per call, including reading the answer (PAYMENT_TIMEOUT_MS; default 5000). */
  timeoutMs?: number;
  /** The outbound fetch; tests pass a mock. */
  fetch?: typeof fetch;
}

/** The provider's objects, as far as we read them. */
interface Intent {
  id: string;
  status: string;
  amount: number;
  amount_received?: number;
  currency: string;
}
interface ProviderRefund {
  id: string;
  status: string;
  amount: number;
  currency: string;
}
interface ProviderPayout {
  id: string;
  status: string;
  amount: number;
  currency: string;
}
interface ProviderError {
  code?: string;
  decline_code?: string;
  message?: string;
  payment_intent?: { id: string; status: string };
}

/** A non-2xx answer: its typed error, with what `void` needs to look at. */
interface ProviderFailure {
  ok: false;
  error: PaymentError;
  status: number;
  body: ProviderError;
}

/**
 * The production gateway, for a Stripe-like REST API with JSON bodies (docs/ARCHITECTURE.md#payments):
 * POST /payment_intents (capture_method=manual, confirm=true) to authorize, /payment_intents/:id/capture,
 * /payment_intents/:id/cancel to void, /refunds, /payouts (settlements). Every call sends `Authorization: Bearer <key>` and the
 * caller's `Idempotency-Key`, and is abandoned at the timeout or the caller's signal.
 *
 * @example
 * const gateway = new HttpGateway({ apiUrl: env.PAYMENTS_API_URL, apiKey: env.PAYMENTS_API_KEY });
 */
export class HttpGateway implements PaymentGateway {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: HttpGatewayOptions) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PAYMENT_TIMEOUT_MS;
  }

  async authorize(req: AuthorizeRequest, opts?: CallOptions): Promise<Authorization> {
    const intent = await this.post<Intent>(
      "authorize",
      "/payment_intents",
      req.idempotencyKey,
      intentBody(req),
      opts,
    );
    if (intent.status !== "requires_capture") throw unexpected("payment intent", intent.status);
    return {
      id: intent.id,
      status: "authorized",
      amount: intent.amount,
      currency: intent.currency.toUpperCase(),
    };
  }

  async capture(req: CaptureRequest, opts?: CallOptions): Promise<Capture> {
    const path = `/payment_intents/${encodeURIComponent(req.authorizationId)}/capture`;
    const intent = await this.post<Intent>(
      "capture",
      path,
      req.idempotencyKey,
      { amount_to_capture: req.amount },
      opts,
    );
    if (intent.status !== "succeeded") throw unexpected("captured payment intent", intent.status);
    // One capture per intent, and refunds name the intent: the capture's id is the intent's.
    return {
      id: intent.id,
      authorizationId: intent.id,
      status: "captured",
      amount: intent.amount_received ?? req.amount,
      currency: intent.currency.toUpperCase(),
    };
  }

  /**
   * By id: cancels the intent (an unknown one is `not_found`, an already cancelled one `voided`). By
   * authorize request: repeats that request with its own key — the provider replays the intent it made,
   * or makes it now — and cancels the result, so a lost authorize can never be captured later.
   */
  async void(req: VoidRequest, opts?: CallOptions): Promise<VoidResult> {
    if ("authorizationId" in req) return this.cancel(req.authorizationId, req.idempotencyKey, opts);
    const { authorize } = req;
    const replay = await this.send<Intent>(
      "void",
      "/payment_intents",
      authorize.idempotencyKey,
      intentBody(authorize),
      opts,
    );
    if (replay.ok) return this.cancel(replay.value.id, req.idempotencyKey, opts);
    if (!(replay.error instanceof PaymentDeclinedError)) throw replay.error;
    // A declined authorize holds nothing; its intent, if the provider kept one, is cancelled all the same.
    const declined = replay.body.payment_intent?.id;
    return declined
      ? this.cancel(declined, req.idempotencyKey, opts)
      : { status: "not_found", authorizationId: null };
  }

  async refund(req: RefundRequest, opts?: CallOptions): Promise<Refund> {
    const body = { payment_intent: req.captureId, amount: req.amount };
    const refund = await this.post<ProviderRefund>("refund", "/refunds", req.idempotencyKey, body, opts);
    if (refund.status !== "succeeded" && refund.status !== "pending")
      throw unexpected("refund", refund.status);
    return {
      id: refund.id,
      captureId: req.captureId,
      status: "refunded",
      amount: refund.amount,
      currency: refund.currency.toUpperCase(),
    };
  }

  /**
   * `POST /payouts` `{amount, currency, destination: merchantId, metadata: {merchant_id}}`; `paid` and
   * `in_transit`/`pending` are success (a bank transfer takes days), `failed`/`canceled` are refusals.
   */
  async payout(req: PayoutRequest, opts?: CallOptions): Promise<Payout> {
    const body = {
      amount: req.amount,
      currency: req.currency.toLowerCase(),
      destination: req.merchantId,
      metadata: { merchant_id: req.merchantId },
    };
    const payout = await this.post<ProviderPayout>("payout", "/payouts", req.idempotencyKey, body, opts);
    const status =
      payout.status === "paid"
        ? "paid"
        : payout.status === "pending" || payout.status === "in_transit"
          ? "pending"
          : null;
    if (status === null) throw unexpected("payout", payout.status);
    return {
      id: payout.id,
      merchantId: req.merchantId,
      status,
      amount: payout.amount,
      currency: payout.currency.toUpperCase(),
    };
  }

  private async cancel(id: string, idempotencyKey: string, opts?: CallOptions): Promise<VoidResult> {
    const path = `/payment_intents/${encodeURIComponent(id)}/cancel`;
    const answer = await this.send<Intent>("void", path, idempotencyKey, {}, opts);
    if (answer.ok || answer.body.payment_intent?.status === "canceled")
      return { status: "voided", authorizationId: id };
    if (answer.status === 404) return { status: "not_found", authorizationId: id };
    throw answer.error;
  }

  private async post<T>(
    operation: string,
    path: string,
    idempotencyKey: string,
    body: object,
    opts?: CallOptions,
  ): Promise<T> {
    const answer = await this.send<T>(operation, path, idempotencyKey, body, opts);
    if (!answer.ok) throw answer.error;
    return answer.value;
  }

  /** POSTs; a 2xx JSON body or a provider failure is returned, no answer at all is thrown (timeout, network). */
  private async send<T>(
    operation: string,
    path: string,
    idempotencyKey: string,
    body: object,
    opts?: CallOptions,
  ): Promise<{ ok: true; value: T } | ProviderFailure> {
    const deadline = new Deadline(operation, this.timeoutMs, opts?.signal);
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${this.options.apiUrl.replace(/\/+$/, "")}${path}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          "idempotency-key": idempotencyKey,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(body),
        signal: deadline.signal,
      });
      text = await res.text();
    } catch (e) {
      if (deadline.signal.aborted) throw deadline.error();
      throw new PaymentTransientError(
        "network_error",
        `The payment provider could not be reached: ${String(e)}`,
      );
    }
    const parsed = parseJson(text);
    if (res.ok) {
      if (parsed === undefined)
        throw new PaymentTransientError("invalid_response", "The payment provider's answer was not JSON.");
      return { ok: true, value: parsed as T };
    }
    const error: ProviderError = (parsed as { error?: ProviderError } | undefined)?.error ?? {};
    return { ok: false, error: errorFor(res, error), status: res.status, body: error };
  }
}

function intentBody(req: AuthorizeRequest) {
  return {
    amount: req.amount,
    currency: req.currency.toLowerCase(),
    payment_method: req.paymentMethod,
    capture_method: "manual",
    confirm: true,
    metadata: { order_id: req.orderId },
  };
}

/** The typed error for a non-2xx answer. */
function errorFor(res: Response, e: ProviderError): PaymentError {
  const message = e.message ?? `The payment provider answered ${res.status}.`;
  if (res.status === 402 || e.code === "card_declined")
    return new PaymentDeclinedError(e.decline_code ?? e.code ?? "card_declined", message);
  // A 409 for a key whose first request is still running (or a lock) clears up on its own.
  const busy = res.status === 409 && (e.code === "idempotency_key_in_use" || e.code === "lock_timeout");
  if (busy || res.status === 429 || res.status >= 500)
    return new PaymentTransientError(
      e.code ?? (res.status === 429 ? "rate_limited" : `http_${res.status}`),
      message,
      retryAfterMs(res),
    );
  return new PaymentRejectedError(e.code ?? `http_${res.status}`, message, res.status);
}

const unexpected = (what: string, status: string) =>
  new PaymentRejectedError("unexpected_status", `The provider returned a ${what} in status '${status}'.`);

function retryAfterMs(res: Response): number | undefined {
  const seconds = Number(res.headers.get("retry-after"));
  return res.headers.has("retry-after") && Number.isFinite(seconds) && seconds >= 0
    ? seconds * 1000
    : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
