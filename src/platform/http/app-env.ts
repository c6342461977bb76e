import type { Clock } from "../clock";
import type { RequestD1 } from "../db/sessions";
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
  /** The route's D1 session (`d1Session` in its middleware; see src/platform/db/sessions.ts). */
  d1?: RequestD1;
  /**
   * The newest D1 bookmark a page has seen from the API it called in-process (selfApi), sent on its
   * next call; the pages keep it across a redirect in a cookie (src/routes/web). Pages only.
   */
  pageBookmark?: string;
  /** Set by `authenticate`; absent on public routes. */
  principal?: Principal;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
