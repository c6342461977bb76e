import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { InjectedFault } from "../../../src/platform/faults/model";
import { newId } from "../../../src/platform/ids";
import { MailboxProvider } from "../../../src/providers/email/mailbox-provider";
import { OutageEmailProvider } from "../../../src/providers/email/outage-provider";
import { PaymentTimeoutError, PaymentTransientError } from "../../../src/providers/payments/errors";
import { OutageGateway } from "../../../src/providers/payments/outage-gateway";
import { SandboxGateway } from "../../../src/providers/payments/sandbox-gateway";
import { gatewayFor } from "../../../src/providers/payments/select-gateway";
import { aRegistration, attemptsOf, mailboxRows } from "../../support/events";
import { clearFaults, faultNow, injectFault } from "../../support/faults";
import { deliver } from "../../support/queues";
import { createTestUser, type TestUser } from "../../support/users";
import { authorizeRequest } from "../../unit/payments/sandbox";

let admin: TestUser;
beforeEach(async () => {
  admin = await createTestUser("admin");
  await clearFaults(admin);
});

const anAuthorize = () => authorizeRequest({ orderId: newId("ord") });

describe("payments outage", () => {
  it("fail: every gateway call fails as a transient error saying injected, counted; cleared, calls go through", async () => {
    const fault = await injectFault(admin, { kind: "provider-outage", provider: "payments", mode: "fail" });
    const gateway = gatewayFor(env);
    for (const call of [() => gateway.authorize(anAuthorize()), () => gateway.payout(aPayout())]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaymentTransientError);
      expect((error as PaymentTransientError).message).toMatch(/^injected: payments outage/);
    }
    expect((await faultNow(admin, fault.id)).injected).toBe(2);

    await clearFaults(admin, fault.id);
    await expect(gatewayFor(env).authorize(anAuthorize())).resolves.toMatchObject({ status: "authorized" });
    expect((await faultNow(admin, fault.id)).injected).toBe(2);
  });

  it("timeout: a call gets no answer and ends as the gateway's timeout (PAYMENT_TIMEOUT_MS)", async () => {
    const fault = await injectFault(admin, {
      kind: "provider-outage",
      provider: "payments",
      mode: "timeout",
    });
    const error = await gatewayFor(env)
      .authorize(anAuthorize())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentTimeoutError);
    expect(error).toMatchObject({ operation: "authorize", timeoutMs: Number(env.PAYMENT_TIMEOUT_MS) });
    expect((error as Error).message).toMatch(/^injected: payments outage, the authorize call got no answer/);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });

  it("with a rate, strikes only the calls whose draw falls under it; the others reach the sandbox", async () => {
    const fault = await injectFault(admin, {
      kind: "provider-outage",
      provider: "payments",
      mode: "fail",
      rate: 0.25,
    });
    const draws = [0.1, 0.9, 0.24, 0.25, 0.6];
    const gateway = new OutageGateway(new SandboxGateway(env.PAYMENT_SANDBOX), env, 5000, undefined, () => {
      const draw = draws.shift();
      if (draw === undefined) throw new Error("more calls than draws");
      return draw;
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await gateway.authorize(anAuthorize()).then(
        (auth) => auth.status,
        (e: unknown) => (e instanceof PaymentTransientError ? "injected" : String(e)),
      );
      outcomes.push(result);
    }
    expect(outcomes).toEqual(["injected", "authorized", "injected", "authorized", "authorized"]);
    expect((await faultNow(admin, fault.id)).injected).toBe(2);
  });

  it("has no effect with fault injection off", async () => {
    await injectFault(admin, { kind: "provider-outage", provider: "payments", mode: "fail" });
    const gateway = gatewayFor({ ...env, FAULTS_ENABLED: "false" });
    await expect(gateway.authorize(anAuthorize())).resolves.toMatchObject({ status: "authorized" });
  });
});

describe("email outage", () => {
  it("fail: the email consumer's event retries (attempt injected) and nothing is sent until it is cleared", async () => {
    const fault = await injectFault(admin, { kind: "provider-outage", provider: "email", mode: "fail" });
    const event = aRegistration();
    const down = await deliver("crossdock-email", [{ body: event, id: "m" }]);
    expect(down.retryMessages.map((m) => m.msgId)).toEqual(["m"]);
    expect(await mailboxRows({ eventId: event.id })).toEqual([]);
    expect(await attemptsOf(event.id, "email")).toEqual([
      { attempt: 1, outcome: "injected", error: expect.stringMatching(/^injected: email provider outage/) },
    ]);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);

    await clearFaults(admin, fault.id);
    const up = await deliver("crossdock-email", [{ body: event, id: "m", attempts: 2 }]);
    expect(up.explicitAcks).toEqual(["m"]);
    expect(await mailboxRows({ eventId: event.id })).toHaveLength(1);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });

  it("timeout: a send waits out the provider's timeout, then fails as injected", async () => {
    const fault = await injectFault(admin, { kind: "provider-outage", provider: "email", mode: "timeout" });
    const provider = new OutageEmailProvider(new MailboxProvider(getDb(env.DB)), env, 20);
    const message = {
      to: "ada@example.com",
      subject: "Hi",
      text: "Hi",
      html: "<p>Hi</p>",
      template: "welcome",
      eventId: newId("evt"),
    };
    const error = await provider.send(message, `${message.eventId}:0`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InjectedFault);
    expect((error as Error).message).toMatch(/^injected: email provider outage, no answer within 20 ms/);
    expect(await mailboxRows({ eventId: message.eventId })).toEqual([]);
    expect((await faultNow(admin, fault.id)).injected).toBe(1);
  });
});

function aPayout() {
  const settlementId = newId("stl");
  return {
    idempotencyKey: `${settlementId}:payout`,
    merchantId: newId("usr"),
    amount: 1000,
    currency: "USD",
  };
}
