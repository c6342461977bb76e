import type { ApiKeyScope, Role } from "../../db/schema";
import type { Logger } from "../observability/logger";
import type { TraceContext } from "../observability/traceparent";

/** Who is calling: a user with a session token, or a merchant's API key limited to its scopes. */
export type Principal =
  | { kind: "session"; userId: string; role: Role; tokenHash: string }
  | { kind: "api-key"; userId: string; role: Role; apiKeyId: string; scopes: readonly ApiKeyScope[] };

export interface AppVariables {
  requestId: string;
  trace: TraceContext;
  log: Logger;
  /** Set by `authenticate`; absent on public routes. */
  principal?: Principal;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
