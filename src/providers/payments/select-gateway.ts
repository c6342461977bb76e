import { faultsEnabled } from "../../platform/faults/client";
import { DEFAULT_PAYMENT_TIMEOUT_MS } from "./deadline";
import type { PaymentGateway } from "./gateway";
import { HttpGateway } from "./http-gateway";
import { OutageGateway } from "./outage-gateway";
import { SandboxGateway } from "./sandbox-gateway";

export type PaymentsEnv = Pick<
  Env,
  | "PAYMENTS_PROVIDER"
  | "PAYMENTS_API_URL"
  | "PAYMENTS_API_KEY"
  | "PAYMENT_TIMEOUT_MS"
  | "PAYMENT_SANDBOX"
  | "FAULTS_ENABLED"
  | "FAULTS"
>;

/**
 * The configured gateway: PAYMENTS_PROVIDER `sandbox` (the default) or `http`. A misspelt provider is a
 * deployment mistake, as is the http provider without its key: both throw rather than quietly fall back.
 * With fault injection on (FAULTS_ENABLED), it sits behind OutageGateway, the payments fault seam.
 *
 * @example
 * const auth = await gatewayFor(env).authorize({ idempotencyKey: `${orderId}:authorize`, ... });
 */
export function gatewayFor(env: PaymentsEnv): PaymentGateway {
  const timeoutMs = positiveNumber(env.PAYMENT_TIMEOUT_MS) ?? DEFAULT_PAYMENT_TIMEOUT_MS;
  const gateway = configuredGateway(env, timeoutMs);
  return faultsEnabled(env) ? new OutageGateway(gateway, env, timeoutMs) : gateway;
}

function configuredGateway(env: PaymentsEnv, timeoutMs: number): PaymentGateway {
  const provider = env.PAYMENTS_PROVIDER || "sandbox";
  switch (provider) {
    case "sandbox":
      return new SandboxGateway(env.PAYMENT_SANDBOX, { timeoutMs });
    case "http":
      if (!env.PAYMENTS_API_KEY)
        throw new Error("PAYMENTS_PROVIDER is http but the PAYMENTS_API_KEY secret is not set.");
      return new HttpGateway({ apiUrl: env.PAYMENTS_API_URL, apiKey: env.PAYMENTS_API_KEY, timeoutMs });
    default:
      throw new Error(`Unknown PAYMENTS_PROVIDER '${provider}': use "sandbox" or "http".`);
  }
}

function positiveNumber(raw: string | undefined): number | undefined {
  const n = Number(raw);
  return raw && Number.isFinite(n) && n > 0 ? n : undefined;
}
