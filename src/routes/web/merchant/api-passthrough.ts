import type { Context } from "hono";
import type { AppEnv } from "../../../platform/http/app-env";
import { WEB_COOKIE } from "../session";

/** Request headers a pass-through hands on: an EventSource's resume point, a download's conditions. */
const PASSED_ON = ["last-event-id", "if-none-match", "range"];

/**
 * An API answer handed to the browser as it is, body streamed: an event stream an EventSource follows
 * (it cannot send a bearer token, so the page's session goes as one here) or a file to download with
 * its own Content-Type and Content-Disposition. `apiFor` parses JSON, which neither is. A problem the
 * API answers becomes an error page on the way out (webRoutes), like any other.
 */
export function apiAsIs(c: Context<AppEnv>, path: string): Promise<Response> {
  const self = c.get("self");
  if (!self) throw new Error("apiAsIs: the page routes must set `self` (src/routes/web)");
  const headers = new Headers({ "x-request-id": c.var.requestId });
  for (const name of PASSED_ON) {
    const value = c.req.header(name);
    if (value !== undefined) headers.set(name, value);
  }
  const token = WEB_COOKIE.read(c);
  if (token) headers.set("authorization", `Bearer ${token}`);
  return self(new Request(new URL(path, c.req.url), { headers }));
}
