import { describe, expect, it } from "vitest";
import {
  PaymentDeclinedError,
  PaymentRejectedError,
  PaymentTimeoutError,
  PaymentTransientError,
} from "../../../src/providers/payments/gateway";
import { authorizeRequest, sandbox, timed } from "./sandbox";

describe("SandboxGateway: test payment methods", () => {
  it("pm_card_visa authorizes", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest();

    const auth = await gateway.authorize(req);

    expect(auth).toEqual({
      id: expect.stringMatching(/^auth_/),
      status: "authorized",
      amount: 2599,
      currency: "USD",
    });
    expect((await ledger()).authorizations).toEqual([
      {
        id: auth.id,
        orderId: req.orderId,
        amount: 2599,
        currency: "USD",
        paymentMethod: "pm_card_visa",
        status: "authorized",
      },
    ]);
  });

  it("pm_card_declined is declined with card_declined, and stays declined under the same key", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest({ paymentMethod: "pm_card_declined" });

    for (let i = 0; i < 2; i++) {
      const error = await gateway.authorize(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaymentDeclinedError);
      expect(error).toMatchObject({ declineCode: "card_declined", kind: "declined", retryable: false });
    }
    expect((await ledger()).authorizations.map((a) => a.status)).toEqual(["declined"]);
  });

  it("pm_card_timeout never answers: PaymentTimeoutError at the timeout, the authorization left pending", async () => {
    const { gateway, ledger } = sandbox({ timeoutMs: 100 });
    const req = authorizeRequest({ paymentMethod: "pm_card_timeout" });

    const { ok, error, ms } = await timed(gateway.authorize(req)).then((r) => ({
      ...r,
      error: r.ok ? null : r.error,
    }));

    expect(ok).toBe(false);
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect(error).toMatchObject({ operation: "authorize", timeoutMs: 100, retryable: true });
    // Timers and clocks in workerd are coarse: "waited for the timeout" rather than "to the millisecond".
    expect(ms).toBeGreaterThanOrEqual(60);
    expect(ms).toBeLessThan(1000);
    expect((await ledger()).authorizations.map((a) => a.status)).toEqual(["pending"]);
  });

  it("gives up when the caller's signal aborts first", async () => {
    const { gateway } = sandbox({ timeoutMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);

    const { error, ms } = await timed(
      gateway.authorize(authorizeRequest({ paymentMethod: "pm_card_timeout" }), {
        signal: controller.signal,
      }),
    ).then((r) => ({ ...r, error: r.ok ? null : r.error }));

    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect(error).toMatchObject({ timeoutMs: null });
    expect(ms).toBeLessThan(1000);
  });

  it("an already aborted signal sends nothing", async () => {
    const { gateway, ledger } = sandbox();
    const error = await gateway
      .authorize(authorizeRequest(), { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect((await ledger()).authorizations).toEqual([]);
  });

  it("pm_card_slow answers after the configured delay", async () => {
    const { gateway } = sandbox({ slowMs: 100 });

    const result = await timed(gateway.authorize(authorizeRequest({ paymentMethod: "pm_card_slow" })));

    expect(result.ok && result.value.status).toBe("authorized");
    expect(result.ms).toBeGreaterThanOrEqual(60);
  });

  it("pm_card_slow past the timeout may still have happened: the retry with the same key finds it", async () => {
    const { client, ledger } = sandbox();
    const req = authorizeRequest({ paymentMethod: "pm_card_slow" });

    const first = await client({ slowMs: 300, timeoutMs: 50 })
      .authorize(req)
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(PaymentTimeoutError);

    const retried = await client({ slowMs: 10, timeoutMs: 2000 }).authorize(req);
    const { authorizations } = await ledger();
    expect(authorizations).toHaveLength(1);
    expect(retried.id).toBe(authorizations[0]?.id);
  });

  it("pm_card_flaky fails transiently twice per key, then succeeds on the same key", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest({ paymentMethod: "pm_card_flaky" });

    for (let i = 0; i < 2; i++) {
      const error = await gateway.authorize(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaymentTransientError);
      expect(error).toMatchObject({ retryable: true, code: "processing_error" });
      expect((await ledger()).authorizations).toEqual([]);
    }
    const auth = await gateway.authorize(req);
    expect(auth.status).toBe("authorized");
    expect(await gateway.authorize(req)).toEqual(auth);
    expect((await ledger()).authorizations).toHaveLength(1);
  });

  it("pm_card_flaky counts attempts per key, with a configurable number of failures", async () => {
    const { gateway } = sandbox({ flakyFailures: 1 });
    const a = authorizeRequest({ paymentMethod: "pm_card_flaky" });
    const b = authorizeRequest({ paymentMethod: "pm_card_flaky" });

    await expect(gateway.authorize(a)).rejects.toBeInstanceOf(PaymentTransientError);
    await expect(gateway.authorize(b)).rejects.toBeInstanceOf(PaymentTransientError);
    await expect(gateway.authorize(a)).resolves.toMatchObject({ status: "authorized" });
  });

  it("refuses an unknown payment method", async () => {
    const { gateway } = sandbox();
    await expect(
      gateway.authorize(authorizeRequest({ paymentMethod: "pm_card_amex" })),
    ).rejects.toMatchObject({
      name: "PaymentRejectedError",
      code: "payment_method_invalid",
    });
  });

  it("refuses amounts that are not positive integers in minor units", async () => {
    const { gateway } = sandbox();
    for (const amount of [0, -5, 12.5]) {
      await expect(gateway.authorize(authorizeRequest({ amount }))).rejects.toMatchObject({
        code: "invalid_amount",
      });
    }
  });
});

describe("SandboxGateway: idempotency keys", () => {
  it("the same authorize twice returns the same authorization and stores one", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest();

    const first = await gateway.authorize(req);
    const second = await gateway.authorize({ ...req });

    expect(second).toEqual(first);
    expect((await ledger()).authorizations).toHaveLength(1);
  });

  it("the same authorize sent five times at once still stores one", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest();

    const results = await Promise.all(Array.from({ length: 5 }, () => gateway.authorize(req)));

    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect((await ledger()).authorizations).toHaveLength(1);
  });

  it("the same key with another amount is refused, permanently", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest();
    await gateway.authorize(req);

    const error = await gateway.authorize({ ...req, amount: 9999 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PaymentRejectedError);
    expect(error).toMatchObject({ code: "idempotency_key_reused", retryable: false });
    expect((await ledger()).authorizations).toHaveLength(1);
  });

  it("a key used for one operation cannot be used for another", async () => {
    const { gateway } = sandbox();
    const req = authorizeRequest();
    const auth = await gateway.authorize(req);

    await expect(
      gateway.capture({ idempotencyKey: req.idempotencyKey, authorizationId: auth.id, amount: 2599 }),
    ).rejects.toMatchObject({ code: "idempotency_key_reused" });
  });
});

describe("SandboxGateway: captures, voids and refunds", () => {
  async function authorized(options: Parameters<typeof sandbox>[0] = {}) {
    const s = sandbox(options);
    const req = authorizeRequest();
    const auth = await s.gateway.authorize(req);
    return { ...s, req, auth, orderId: req.orderId };
  }

  it("never charges twice: a capture retried with the same key is one capture", async () => {
    const { gateway, ledger, auth, orderId } = await authorized();
    const capture = { idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2599 };

    const results = await Promise.all([gateway.capture(capture), gateway.capture(capture)]);
    const again = await gateway.capture(capture);

    expect(results[0]).toEqual({
      id: expect.stringMatching(/^cap_/),
      authorizationId: auth.id,
      status: "captured",
      amount: 2599,
      currency: "USD",
    });
    expect(results[1]).toEqual(results[0]);
    expect(again).toEqual(results[0]);
    const { captures, authorizations } = await ledger();
    expect(captures).toHaveLength(1);
    expect(authorizations[0]?.status).toBe("captured");
  });

  it("a second capture under a new key is refused", async () => {
    const { gateway, ledger, auth, orderId } = await authorized();
    await gateway.capture({ idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2599 });

    await expect(
      gateway.capture({ idempotencyKey: `${orderId}:capture-2`, authorizationId: auth.id, amount: 2599 }),
    ).rejects.toMatchObject({ name: "PaymentRejectedError", code: "authorization_captured" });
    expect((await ledger()).captures).toHaveLength(1);
  });

  it("cannot capture more than authorized; can capture less", async () => {
    const { gateway, auth, orderId } = await authorized();

    await expect(
      gateway.capture({ idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2600 }),
    ).rejects.toMatchObject({ code: "amount_too_large" });
    await expect(
      gateway.capture({
        idempotencyKey: `${orderId}:capture-partial`,
        authorizationId: auth.id,
        amount: 2000,
      }),
    ).resolves.toMatchObject({ amount: 2000 });
  });

  it("cannot capture after a void", async () => {
    const { gateway, auth, orderId } = await authorized();
    await gateway.void({ idempotencyKey: `${orderId}:void`, authorizationId: auth.id });

    await expect(
      gateway.capture({ idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2599 }),
    ).rejects.toMatchObject({ code: "authorization_voided" });
  });

  it("cannot void after a capture", async () => {
    const { gateway, auth, orderId } = await authorized();
    await gateway.capture({ idempotencyKey: `${orderId}:capture`, authorizationId: auth.id, amount: 2599 });

    await expect(
      gateway.void({ idempotencyKey: `${orderId}:void`, authorizationId: auth.id }),
    ).rejects.toMatchObject({ name: "PaymentRejectedError", code: "authorization_captured" });
  });

  it("voiding is safe to repeat, and a void of an unknown authorization is not_found", async () => {
    const { gateway, auth, orderId } = await authorized();
    const voided = { status: "voided", authorizationId: auth.id };

    expect(await gateway.void({ idempotencyKey: `${orderId}:void`, authorizationId: auth.id })).toEqual(
      voided,
    );
    expect(await gateway.void({ idempotencyKey: `${orderId}:void`, authorizationId: auth.id })).toEqual(
      voided,
    );
    expect(await gateway.void({ idempotencyKey: `${orderId}:void-2`, authorizationId: auth.id })).toEqual(
      voided,
    );
    expect(await gateway.void({ idempotencyKey: "x:void", authorizationId: "auth_unknown" })).toEqual({
      status: "not_found",
      authorizationId: "auth_unknown",
    });
  });

  it("refunds up to the captured amount, once per key", async () => {
    const { gateway, ledger, auth, orderId } = await authorized();
    const capture = await gateway.capture({
      idempotencyKey: `${orderId}:capture`,
      authorizationId: auth.id,
      amount: 2599,
    });
    const refund = { idempotencyKey: `${orderId}:refund`, captureId: capture.id, amount: 2599 };

    const first = await gateway.refund(refund);
    expect(await gateway.refund(refund)).toEqual(first);
    expect(first).toEqual({
      id: expect.stringMatching(/^ref_/),
      captureId: capture.id,
      status: "refunded",
      amount: 2599,
      currency: "USD",
    });

    await expect(
      gateway.refund({ ...refund, idempotencyKey: `${orderId}:refund-2`, amount: 1 }),
    ).rejects.toMatchObject({
      code: "amount_too_large",
    });
    expect((await ledger(orderId)).refunds).toHaveLength(1);
  });

  it("partial refunds add up to the capture and no further", async () => {
    const { gateway, auth, orderId } = await authorized();
    const capture = await gateway.capture({
      idempotencyKey: `${orderId}:capture`,
      authorizationId: auth.id,
      amount: 1000,
    });
    const refund = (n: number, amount: number) =>
      gateway.refund({ idempotencyKey: `${orderId}:refund-${n}`, captureId: capture.id, amount });

    await refund(1, 600);
    await refund(2, 400);
    await expect(refund(3, 1)).rejects.toMatchObject({ code: "amount_too_large" });
  });

  it("cannot refund an unknown capture", async () => {
    const { gateway } = sandbox();
    await expect(
      gateway.refund({ idempotencyKey: "r", captureId: "cap_unknown", amount: 1 }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("SandboxGateway: compensating an authorize whose outcome is unknown", () => {
  it("a void by authorize request voids the pending authorization of a timed-out authorize", async () => {
    const { gateway, ledger } = sandbox({ timeoutMs: 50 });
    const req = authorizeRequest({ paymentMethod: "pm_card_timeout" });
    await expect(gateway.authorize(req)).rejects.toBeInstanceOf(PaymentTimeoutError);

    const voided = await gateway.void({ idempotencyKey: `${req.orderId}:void`, authorize: req });

    const [record] = (await ledger()).authorizations;
    expect(voided).toEqual({ status: "voided", authorizationId: record?.id });
    expect(record?.status).toBe("voided");
  });

  it("a void by authorize request voids what a slow authorize made after the client gave up", async () => {
    const { client, gateway, ledger } = sandbox();
    const req = authorizeRequest({ paymentMethod: "pm_card_slow" });
    await expect(client({ slowMs: 200, timeoutMs: 20 }).authorize(req)).rejects.toBeInstanceOf(
      PaymentTimeoutError,
    );

    await gateway.void({ idempotencyKey: `${req.orderId}:void`, authorize: req });

    expect((await ledger()).authorizations.map((a) => a.status)).toEqual(["voided"]);
  });

  it("an authorize that never arrived can no longer authorize after its void", async () => {
    const { gateway, ledger } = sandbox();
    const req = authorizeRequest();

    const voided = await gateway.void({ idempotencyKey: `${req.orderId}:void`, authorize: req });
    expect(voided.status).toBe("voided");

    await expect(gateway.authorize(req)).rejects.toMatchObject({ code: "authorization_voided" });
    expect((await ledger()).authorizations.map((a) => a.status)).toEqual(["voided"]);
  });

  it("a void by authorize request with other parameters than that authorize is refused", async () => {
    const { gateway } = sandbox();
    const req = authorizeRequest();
    await gateway.authorize(req);

    await expect(
      gateway.void({ idempotencyKey: `${req.orderId}:void`, authorize: { ...req, amount: 1 } }),
    ).rejects.toMatchObject({ code: "idempotency_key_reused" });
  });
});
