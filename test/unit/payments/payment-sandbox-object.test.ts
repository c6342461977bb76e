import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { PaymentSandbox } from "../../../src/durable-objects/payment-sandbox";
import { authorizeRequest } from "./sandbox";

const freshSandbox = () =>
  env.PAYMENT_SANDBOX.get(env.PAYMENT_SANDBOX.idFromName(`do-test-${crypto.randomUUID()}`));

const count = (state: DurableObjectState, table: string) =>
  state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n;

describe("PaymentSandbox", () => {
  it("answers failures as values, since RPC would strip a thrown error's type", async () => {
    const stub = freshSandbox();
    expect(await stub.authorize(authorizeRequest({ paymentMethod: "pm_card_declined" }))).toEqual({
      ok: false,
      kind: "declined",
      code: "card_declined",
      message: "Your card was declined.",
    });
    expect(await stub.authorize(authorizeRequest({ paymentMethod: "pm_card_timeout" }))).toMatchObject({
      ok: false,
      kind: "no_answer",
    });
  });

  it("stores one authorization and one key for an authorize repeated with the same key", async () => {
    const stub = freshSandbox();
    const req = authorizeRequest();
    const first = await stub.authorize(req);
    const second = await stub.authorize(req);

    expect(second).toEqual(first);
    await runInDurableObject(stub, (_: PaymentSandbox, state) => {
      expect(count(state, "authorizations")).toBe(1);
      expect(count(state, "idempotency_keys")).toBe(1);
    });
  });

  it("does not keep a transient failure under the key, but counts the attempt", async () => {
    const stub = freshSandbox();
    const req = authorizeRequest({ paymentMethod: "pm_card_flaky" });
    expect(await stub.authorize(req, { flakyFailures: 1 })).toMatchObject({ ok: false, kind: "transient" });

    await runInDurableObject(stub, (_: PaymentSandbox, state) => {
      expect(count(state, "idempotency_keys")).toBe(0);
      expect(count(state, "authorizations")).toBe(0);
      expect(
        state.storage.sql
          .exec("SELECT attempts FROM authorize_attempts WHERE key = ?", req.idempotencyKey)
          .one(),
      ).toEqual({ attempts: 1 });
    });
    expect(await stub.authorize(req, { flakyFailures: 1 })).toMatchObject({ ok: true });
  });

  it("keeps a refused request under its key, as a real provider replays its 4xx answers", async () => {
    const stub = freshSandbox();
    const capture = { idempotencyKey: "k:capture", authorizationId: "auth_missing", amount: 1 };
    await expect(stub.capture(capture)).resolves.toMatchObject({ ok: false, code: "not_found" });

    await runInDurableObject(stub, (_: PaymentSandbox, state) => {
      expect(count(state, "idempotency_keys")).toBe(1);
    });
  });

  it("shows one order's records in its ledger", async () => {
    const stub = freshSandbox();
    const a = authorizeRequest();
    const b = authorizeRequest();
    const authA = await stub.authorize(a);
    await stub.authorize(b);
    if (!authA.ok) throw new Error("authorize failed");
    const cap = await stub.capture({
      idempotencyKey: `${a.orderId}:capture`,
      authorizationId: authA.value.id,
      amount: 100,
    });
    if (!cap.ok) throw new Error("capture failed");
    await stub.refund({ idempotencyKey: `${a.orderId}:refund`, captureId: cap.value.id, amount: 40 });

    const ledger = await stub.ledger(a.orderId);

    expect(ledger.authorizations.map((r) => [r.orderId, r.status])).toEqual([[a.orderId, "captured"]]);
    expect(ledger.captures.map((c) => c.amount)).toEqual([100]);
    expect(ledger.refunds.map((r) => r.amount)).toEqual([40]);
    expect((await stub.ledger()).authorizations).toHaveLength(2);
  });

  it("keeps its records when the object is evicted and comes back", async () => {
    const id = env.PAYMENT_SANDBOX.idFromName(`do-test-${crypto.randomUUID()}`);
    const req = authorizeRequest();
    const first = await env.PAYMENT_SANDBOX.get(id).authorize(req);
    await evictDurableObject(env.PAYMENT_SANDBOX.get(id));

    expect(await env.PAYMENT_SANDBOX.get(id).authorize(req)).toEqual(first);
  });
});
