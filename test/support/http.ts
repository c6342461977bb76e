import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { createApp } from "../../src/app";
import type { Clock } from "../../src/platform/clock";

/** Calls the worker's default export exactly as a client would over HTTP. */
export const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(`https://crossdock.test${path}`, init);

/** POSTs a JSON body with optional extra headers. */
export const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  call(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/**
 * Calls a fresh app as `call` calls the worker, with what the test injects: the clock the app reads time
 * from, and bindings in place of the real ones.
 */
export function callWith({ clock, bindings = {} }: { clock: Clock; bindings?: Partial<Env> }) {
  const app = createApp({ clock });
  return (path: string, init?: RequestInit) =>
    app.fetch(
      new Request(`https://crossdock.test${path}`, init),
      { ...env, ...bindings },
      createExecutionContext(),
    );
}
