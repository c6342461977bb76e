import { exports } from "cloudflare:workers";

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
