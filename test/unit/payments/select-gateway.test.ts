import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { HttpGateway } from "../../../src/providers/payments/http-gateway";
import { OutageGateway } from "../../../src/providers/payments/outage-gateway";
import { SandboxGateway } from "../../../src/providers/payments/sandbox-gateway";
import { gatewayFor, type PaymentsEnv } from "../../../src/providers/payments/select-gateway";
import { authorizeRequest } from "./sandbox";

const config = (over: Partial<PaymentsEnv> = {}): PaymentsEnv => ({
  PAYMENTS_PROVIDER: env.PAYMENTS_PROVIDER,
  PAYMENTS_API_URL: env.PAYMENTS_API_URL,
  PAYMENTS_API_KEY: "sk_test",
  PAYMENT_TIMEOUT_MS: env.PAYMENT_TIMEOUT_MS,
  PAYMENT_SANDBOX: env.PAYMENT_SANDBOX,
  FAULTS_ENABLED: "false",
  FAULTS: env.FAULTS,
  ...over,
});

describe("gatewayFor", () => {
  it("is the sandbox by default, and it authorizes", async () => {
    expect(env.PAYMENTS_PROVIDER).toBe("sandbox");
    const gateway = gatewayFor(config({ PAYMENTS_PROVIDER: "" }));
    expect(gateway).toBeInstanceOf(SandboxGateway);
    await expect(gateway.authorize(authorizeRequest())).resolves.toMatchObject({ status: "authorized" });
  });

  it("sits behind the payments fault seam only when fault injection is on", () => {
    expect(gatewayFor(config({ FAULTS_ENABLED: "true" }))).toBeInstanceOf(OutageGateway);
    expect(gatewayFor(config({ FAULTS_ENABLED: "yes" }))).toBeInstanceOf(SandboxGateway);
  });

  it("is the HTTP adapter for http", () => {
    expect(gatewayFor(config({ PAYMENTS_PROVIDER: "http" }))).toBeInstanceOf(HttpGateway);
  });

  it("refuses an unknown provider, and http without its key", () => {
    expect(() => gatewayFor(config({ PAYMENTS_PROVIDER: "stripe" }))).toThrow(
      /Unknown PAYMENTS_PROVIDER 'stripe'/,
    );
    expect(() => gatewayFor(config({ PAYMENTS_PROVIDER: "http", PAYMENTS_API_KEY: "" }))).toThrow(
      /PAYMENTS_API_KEY/,
    );
  });
});
