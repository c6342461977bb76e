import { getDb } from "../../platform/db/client";
import { faultsEnabled } from "../../platform/faults/client";
import { HttpEmailProvider } from "./http-provider";
import { MailboxProvider } from "./mailbox-provider";
import { OutageEmailProvider } from "./outage-provider";
import type { EmailProvider } from "./provider";

type EmailEnv = Pick<
  Env,
  "DB" | "EMAIL_PROVIDER" | "EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM" | "FAULTS_ENABLED" | "FAULTS"
>;

/**
 * The provider EMAIL_PROVIDER names: `mailbox` (D1, local and tests) or `http` (production). Anything
 * else is a configuration error and throws, so the event retries and dead-letters instead of being
 * acknowledged as sent. With fault injection on (FAULTS_ENABLED), it sits behind OutageEmailProvider,
 * the email fault seam.
 */
export function selectEmailProvider(env: EmailEnv): EmailProvider {
  const provider = configuredProvider(env);
  return faultsEnabled(env) ? new OutageEmailProvider(provider, env) : provider;
}

function configuredProvider(env: EmailEnv): EmailProvider {
  switch (env.EMAIL_PROVIDER) {
    case "mailbox":
      return new MailboxProvider(getDb(env.DB));
    case "http":
      return new HttpEmailProvider({
        url: env.EMAIL_API_URL,
        apiKey: env.EMAIL_API_KEY,
        from: env.EMAIL_FROM,
      });
    default:
      throw new Error(`EMAIL_PROVIDER must be "mailbox" or "http", not "${env.EMAIL_PROVIDER}"`);
  }
}
