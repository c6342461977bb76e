import type { ApiKeyScope, Role, UserRow } from "../../flows/accounts/schema";
import type { Clock } from "../clock";
import type { Logger } from "../observability/logger";
import type { TraceContext } from "../observability/traceparent";

/** Who is calling: a user with a session token, or a merchant's API key limited to its scopes. */
export type Principal = { userId: string; role: Role; user: PrincipalUser } & (
  | { kind: "session"; tokenHash: string }
  | { kind: "api-key"; apiKeyId: string; scopes: readonly ApiKeyScope[] }
);

/** The caller's user row, loaded with the credential in one query so handlers need not re-read it. */
export type PrincipalUser = Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">;

export interface AppVariables {
  /** Time, as the handlers that wait on it read it (set by createApp; tests give their own). */
  clock: Clock;
  requestId: string;
  trace: TraceContext;
  log: Logger;
  /** Set by `authenticate`; absent on public routes. */
  principal?: Principal;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
