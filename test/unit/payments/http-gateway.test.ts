import { describe, expect, it, vi } from "vitest";
import {
  PaymentDeclinedError,
  PaymentRejectedError,
  PaymentTimeoutError,
  PaymentTransientError,
} from "../../../src/providers/payments/gateway";
import { HttpGateway } from "../../../src/providers/payments/http-gateway";
import { authorizeRequest } from "./sandbox";

const API = "https://api.payments.test/v1";
const intent = (over: Record<string, unknown> = {}) => ({
  id: "pi_123",
  status: "requires_capture",
  amount: 2599,
  currency: "usd",
  ...over,
});
const problem = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json({ error }, { status, headers });

/** A gateway whose outbound calls are answered, in order, by `answers`. */
function gatewayAnswering(...answers: Array<Response | (() => Response | Promise<Response>)>) {
  const fetch = vi.fn<typeof globalThis.fetch>(async () => {
    const next = answers.shift();
    if (!next) throw new Error("unexpected call");
    return typeof next === "function" ? next() : next;
  });
  const gateway = new HttpGateway({ apiUrl: `${API}/`, apiKey: "sk_test_1", timeoutMs: 1000, fetch });
  /** The n-th outbound call as url, method, headers and parsed body. */
  const sent = (n = 0) => {
    const [url, init] = fetch.mock.calls[n] ?? [];
    return {
      url: String(url),
      method: init?.method,
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body)),
    };
  };
  return { gateway, fetch, sent };
}

describe("HttpGateway requests", () => {
  it("authorizes with a manual-capture payment intent, its key in Idempotency-Key", async () => {
    const { gateway, sent } = gatewayAnswering(Response.json(intent()));
    const req = authorizeRequest({ orderId: "ord_h1" });

    expect(await gateway.authorize(req)).toEqual({
      id: "pi_123",
      status: "authorized",
      amount: 2599,
      currency: "USD",
    });
    expect(sent()).toEqual({
      url: `${API}/payment_intents`,
      method: "POST",
      headers: {
        authorization: "Bearer sk_test_1",
        "idempotency-key": "ord_h1:authorize",
        "content-type": "application/json",
        accept: "application/json",
      },
      body: {
        amount: 2599,
        currency: "usd",
        payment_method: "pm_card_visa",
        capture_method: "manual",
        confirm: true,
        metadata: { order_id: "ord_h1" },
      },
    });
  });

  it("captures through /payment_intents/:id/capture", async () => {
    const { gateway, sent } = gatewayAnswering(
      Response.json(intent({ status: "succeeded", amount_received: 2000 })),
    );

    const capture = await gateway.capture({
      idempotencyKey: "ord_h2:capture",
      authorizationId: "pi_123",
      amount: 2000,
    });

    expect(capture).toEqual({
      id: "pi_123",
      authorizationId: "pi_123",
      status: "captured",
      amount: 2000,
      currency: "USD",
    });
    expect(sent()).toMatchObject({
      url: `${API}/payment_intents/pi_123/capture`,
      method: "POST",
      headers: { "idempotency-key": "ord_h2:capture", authorization: "Bearer sk_test_1" },
      body: { amount_to_capture: 2000 },
    });
  });

  it("voids through /payment_intents/:id/cancel", async () => {
    const { gateway, sent } = gatewayAnswering(Response.json(intent({ status: "canceled" })));

    expect(await gateway.void({ idempotencyKey: "ord_h3:void", authorizationId: "pi_123" })).toEqual({
      status: "voided",
      authorizationId: "pi_123",
    });
    expect(sent()).toMatchObject({
      url: `${API}/payment_intents/pi_123/cancel`,
      headers: { "idempotency-key": "ord_h3:void" },
      body: {},
    });
  });

  it("refunds through /refunds, naming the captured intent", async () => {
    const { gateway, sent } = gatewayAnswering(
      Response.json({ id: "re_1", status: "succeeded", amount: 500, currency: "usd" }),
    );

    expect(
      await gateway.refund({ idempotencyKey: "ord_h4:refund", captureId: "pi_123", amount: 500 }),
    ).toEqual({
      id: "re_1",
      captureId: "pi_123",
      status: "refunded",
      amount: 500,
      currency: "USD",
    });
    expect(sent()).toMatchObject({
      url: `${API}/refunds`,
      headers: { "idempotency-key": "ord_h4:refund" },
      body: { payment_intent: "pi_123", amount: 500 },
    });
  });

  it("escapes ids in paths", async () => {
    const { gateway, sent } = gatewayAnswering(Response.json(intent({ status: "canceled" })));
    await gateway.void({ idempotencyKey: "k", authorizationId: "pi/../x" });
    expect(sent().url).toBe(`${API}/payment_intents/pi%2F..%2Fx/cancel`);
  });
});

describe("HttpGateway error mapping", () => {
  const authorize = (gateway: HttpGateway) => gateway.authorize(authorizeRequest()).catch((e: unknown) => e);

  it("402 is a decline, with the provider's decline code", async () => {
    const { gateway } = gatewayAnswering(
      problem(402, {
        type: "card_error",
        code: "card_declined",
        decline_code: "insufficient_funds",
        message: "No.",
      }),
    );
    const error = await authorize(gateway);
    expect(error).toBeInstanceOf(PaymentDeclinedError);
    expect(error).toMatchObject({ declineCode: "insufficient_funds", message: "No.", retryable: false });
  });

  it("card_declined under another status is a decline too", async () => {
    const { gateway } = gatewayAnswering(problem(400, { code: "card_declined" }));
    expect(await authorize(gateway)).toMatchObject({
      name: "PaymentDeclinedError",
      declineCode: "card_declined",
    });
  });

  it.each([
    [400, "parameter_invalid_integer"],
    [401, undefined],
    [404, "resource_missing"],
    [409, "idempotency_error"],
  ])("%i (%s) is a permanent rejection", async (status, code) => {
    const { gateway } = gatewayAnswering(problem(status, code ? { code } : {}));
    const error = await authorize(gateway);
    expect(error).toBeInstanceOf(PaymentRejectedError);
    expect(error).toMatchObject({ status, code: code ?? `http_${status}`, retryable: false });
  });

  it("409 for a key whose first request is still running is transient", async () => {
    const { gateway } = gatewayAnswering(problem(409, { code: "idempotency_key_in_use" }));
    expect(await authorize(gateway)).toMatchObject({
      name: "PaymentTransientError",
      code: "idempotency_key_in_use",
    });
  });

  it("429 is transient, with Retry-After", async () => {
    const { gateway } = gatewayAnswering(problem(429, { code: "rate_limit" }, { "retry-after": "2" }));
    const error = await authorize(gateway);
    expect(error).toBeInstanceOf(PaymentTransientError);
    expect(error).toMatchObject({ code: "rate_limit", retryAfterMs: 2000, retryable: true });
  });

  it.each([500, 502, 503])("%i is transient, even without a JSON body", async (status) => {
    const { gateway } = gatewayAnswering(new Response("<html>Bad gateway</html>", { status }));
    const error = await authorize(gateway);
    expect(error).toBeInstanceOf(PaymentTransientError);
    expect(error).toMatchObject({ code: `http_${status}` });
  });

  it("a network failure is transient", async () => {
    const { gateway } = gatewayAnswering(() => {
      throw new TypeError("Network connection lost.");
    });
    expect(await authorize(gateway)).toMatchObject({ name: "PaymentTransientError", code: "network_error" });
  });

  it("a 2xx that is not JSON is transient: retrying with the same key gets the real answer", async () => {
    const { gateway } = gatewayAnswering(new Response("ok"));
    expect(await authorize(gateway)).toMatchObject({
      name: "PaymentTransientError",
      code: "invalid_response",
    });
  });

  it("an intent in an unexpected status is refused", async () => {
    const { gateway } = gatewayAnswering(Response.json(intent({ status: "requires_action" })));
    expect(await authorize(gateway)).toMatchObject({
      name: "PaymentRejectedError",
      code: "unexpected_status",
    });
  });

  it("no answer within the timeout is a PaymentTimeoutError, and the request was aborted", async () => {
    let aborted = false;
    const fetch = vi.fn<typeof globalThis.fetch>(
      (_, init) =>
        new Promise((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => {
            aborted = true;
            reject(init.signal?.reason);
          });
        }),
    );
    const gateway = new HttpGateway({ apiUrl: API, apiKey: "sk", timeoutMs: 50, fetch });

    const error = await gateway.authorize(authorizeRequest()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect(error).toMatchObject({ operation: "authorize", timeoutMs: 50 });
    expect(aborted).toBe(true);
  });

  it("the caller's signal aborts the call too", async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(
      (_, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
        ),
    );
    const gateway = new HttpGateway({ apiUrl: API, apiKey: "sk", timeoutMs: 5000, fetch });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);

    const error = await gateway
      .authorize(authorizeRequest(), { signal: controller.signal })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect(error).toMatchObject({ timeoutMs: null });
  });
});

describe("HttpGateway void", () => {
  it("an unknown intent is not_found, an already cancelled one voided", async () => {
    const { gateway } = gatewayAnswering(
      problem(404, { code: "resource_missing" }),
      problem(400, {
        code: "payment_intent_unexpected_state",
        payment_intent: { id: "pi_9", status: "canceled" },
      }),
    );
    expect(await gateway.void({ idempotencyKey: "v1", authorizationId: "pi_x" })).toEqual({
      status: "not_found",
      authorizationId: "pi_x",
    });
    expect(await gateway.void({ idempotencyKey: "v2", authorizationId: "pi_9" })).toEqual({
      status: "voided",
      authorizationId: "pi_9",
    });
  });

  it("a captured intent cannot be voided", async () => {
    const { gateway } = gatewayAnswering(
      problem(400, {
        code: "payment_intent_unexpected_state",
        payment_intent: { id: "pi_9", status: "succeeded" },
      }),
    );
    await expect(gateway.void({ idempotencyKey: "v", authorizationId: "pi_9" })).rejects.toMatchObject({
      name: "PaymentRejectedError",
      code: "payment_intent_unexpected_state",
    });
  });

  it("by authorize request: repeats the authorize under its own key, then cancels what it returns", async () => {
    const { gateway, sent } = gatewayAnswering(
      Response.json(intent({ id: "pi_7" })),
      Response.json(intent({ id: "pi_7", status: "canceled" })),
    );
    const req = authorizeRequest({ orderId: "ord_h5" });

    expect(await gateway.void({ idempotencyKey: "ord_h5:void", authorize: req })).toEqual({
      status: "voided",
      authorizationId: "pi_7",
    });
    expect(sent(0)).toMatchObject({
      url: `${API}/payment_intents`,
      headers: { "idempotency-key": "ord_h5:authorize" },
      body: { amount: 2599, capture_method: "manual", metadata: { order_id: "ord_h5" } },
    });
    expect(sent(1)).toMatchObject({
      url: `${API}/payment_intents/pi_7/cancel`,
      headers: { "idempotency-key": "ord_h5:void" },
    });
  });

  it("by authorize request that was declined: nothing is held", async () => {
    const { gateway, fetch } = gatewayAnswering(problem(402, { code: "card_declined" }));
    expect(await gateway.void({ idempotencyKey: "v", authorize: authorizeRequest() })).toEqual({
      status: "not_found",
      authorizationId: null,
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it("by authorize request, a transient failure is the caller's to retry", async () => {
    const { gateway } = gatewayAnswering(problem(503, {}));
    await expect(gateway.void({ idempotencyKey: "v", authorize: authorizeRequest() })).rejects.toBeInstanceOf(
      PaymentTransientError,
    );
  });
});
