import type { Clock } from "../clock";
import type { Logger } from "../observability/logger";
import type { TraceContext } from "../observability/traceparent";

/**
 * Who is calling, as the accounts flow defines it: src/flows/accounts/principal.ts adds `principal` here
 * by module augmentation (as hono's ContextVariableMap is extended), so HTTP plumbing can carry it
 * without importing a flow.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in src/flows/accounts/principal.ts.
export interface PrincipalRegistry {}

export type Principal = PrincipalRegistry extends { principal: infer P } ? P : never;

export interface AppVariables {
  /** Time, as the handlers that wait on it read it (set by createApp; tests give their own). */
  clock: Clock;
  requestId: string;
  trace: TraceContext;
  log: Logger;
  /**
   * The app itself, called in-process: the pages for people (src/routes/web) are clients of the API and
   * go through its routes, validation, idempotency and problems rather than a second implementation.
   * Set on the pages' routes only.
   */
  self?: (request: Request) => Promise<Response>;
  /** Set by `authenticate`; absent on public routes. */
  principal?: Principal;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
