import { describe, expect, it, vi } from "vitest";
import {
  PaymentRejectedError,
  PaymentTransientError,
  type PayoutRequest,
} from "../../../src/providers/payments/gateway";
import { HttpGateway } from "../../../src/providers/payments/http-gateway";
import { sandbox } from "./sandbox";

const API = "https://api.payments.test/v1";
const request = (over: Partial<PayoutRequest> = {}): PayoutRequest => ({
  idempotencyKey: "stl_1:payout",
  merchantId: "usr_m1",
  amount: 9_000,
  currency: "USD",
  ...over,
});

describe("SandboxGateway payouts", () => {
  it("pays once per idempotency key: a repeat replays the first payout", async () => {
    const { gateway, payouts } = sandbox();
    const first = await gateway.payout(request());
    const again = await gateway.payout(request());

    expect(first).toEqual({
      id: first.id,
      merchantId: "usr_m1",
      status: "paid",
      amount: 9_000,
      currency: "USD",
    });
    expect(first.id).toMatch(/^po_/);
    expect(again).toEqual(first);
    expect(await payouts("usr_m1")).toEqual([first]);
  });

  it("refuses a non-positive amount, and a key reused for another payout", async () => {
    const { gateway, payouts } = sandbox();
    await expect(gateway.payout(request({ amount: 0 }))).rejects.toMatchObject({ code: "invalid_amount" });
    await gateway.payout(request({ idempotencyKey: "stl_2:payout" }));
    await expect(
      gateway.payout(request({ idempotencyKey: "stl_2:payout", amount: 1 })),
    ).rejects.toBeInstanceOf(PaymentRejectedError);
    expect(await payouts()).toHaveLength(1);
  });
});

function gatewayAnswering(...answers: Response[]) {
  const fetch = vi.fn<typeof globalThis.fetch>(async () => {
    const next = answers.shift();
    if (!next) throw new Error("unexpected call");
    return next;
  });
  return { gateway: new HttpGateway({ apiUrl: API, apiKey: "sk_test_1", timeoutMs: 1000, fetch }), fetch };
}

describe("HttpGateway payouts", () => {
  it("POSTs /payouts with the settlement's key in Idempotency-Key", async () => {
    const { gateway, fetch } = gatewayAnswering(
      Response.json({ id: "po_123", status: "in_transit", amount: 9_000, currency: "usd" }),
    );

    expect(await gateway.payout(request())).toEqual({
      id: "po_123",
      merchantId: "usr_m1",
      status: "pending",
      amount: 9_000,
      currency: "USD",
    });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(String(url)).toBe(`${API}/payouts`);
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("idempotency-key")).toBe("stl_1:payout");
    expect(JSON.parse(String(init?.body))).toEqual({
      amount: 9_000,
      currency: "usd",
      destination: "usr_m1",
      metadata: { merchant_id: "usr_m1" },
    });
  });

  it("reads paid as paid, a 503 as transient and a failed payout as a refusal", async () => {
    const { gateway } = gatewayAnswering(
      Response.json({ id: "po_1", status: "paid", amount: 10, currency: "usd" }),
      Response.json({ error: { code: "api_error" } }, { status: 503 }),
      Response.json({ id: "po_2", status: "failed", amount: 10, currency: "usd" }),
    );
    expect((await gateway.payout(request({ amount: 10 }))).status).toBe("paid");
    await expect(gateway.payout(request())).rejects.toBeInstanceOf(PaymentTransientError);
    await expect(gateway.payout(request())).rejects.toMatchObject({ code: "unexpected_status" });
  });
});
