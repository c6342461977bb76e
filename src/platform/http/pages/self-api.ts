import type { Context } from "hono";
import { D1_BOOKMARK_HEADER, laterBookmark } from "../../db/sessions";
import type { AppEnv } from "../app-env";
import type { Problem } from "../problem";

/** An answer from the API: its status, headers and parsed JSON body (a problem when not ok). */
export interface ApiAnswer<T> {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The JSON body when ok (undefined for a 204); see `problem` otherwise. */
  body: T;
  /** The RFC 9457 problem the API answered with, when not ok. */
  problem?: Problem;
}

export interface ApiCall {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (a file upload's bytes, a CSV). */
  body?: BodyInit;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** The bearer token to call with; the page's session when omitted. */
  token?: string | null;
}

// What a page passes on from its own request: who the client is (the login throttle keys on the address)
// and the trace, so the API's log lines and facts share the page's request id.
const FORWARDED = ["cf-connecting-ip", "user-agent", "accept-language", "traceparent"];

/**
 * The API, called in-process from a page: same router, middleware, validation and problems as any client
 * gets, with the page's session token as the bearer and its request id, so one click is one correlation
 * id from the page through the API to every fact it publishes. `path` is the API path (`/v1/...`).
 * Each call also sends the newest D1 bookmark the page has seen (`pageBookmark`) and keeps the one it
 * gets back, so a page that writes and then reads reads its own write, replicas or not.
 *
 * @example
 * const api = selfApi(c, token);
 * const { body } = await api<ProductList>("/v1/products", { query: { q: "lamp" } });
 */
export function selfApi(c: Context<AppEnv>, sessionToken: string | undefined) {
  const self = c.get("self");
  if (!self) throw new Error("selfApi: the page routes must set `self` (src/routes/web)");
  const origin = new URL(c.req.url).origin;
  return async function api<T = unknown>(path: string, call: ApiCall = {}): Promise<ApiAnswer<T>> {
    const url = new URL(path, origin);
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined && v !== "") url.searchParams.set(k, String(v));
    const headers = new Headers(call.headers);
    for (const name of FORWARDED) {
      const value = c.req.header(name);
      if (value !== undefined && !headers.has(name)) headers.set(name, value);
    }
    headers.set("x-request-id", c.var.requestId);
    const bookmark = c.var.pageBookmark;
    if (bookmark && !headers.has(D1_BOOKMARK_HEADER)) headers.set(D1_BOOKMARK_HEADER, bookmark);
    const token = call.token === undefined ? sessionToken : call.token;
    if (token) headers.set("authorization", `Bearer ${token}`);
    let body = call.body;
    if (call.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(call.json);
    }
    const res = await self(
      new Request(url, { method: call.method ?? (body ? "POST" : "GET"), headers, body }),
    );
    const seen = laterBookmark(c.var.pageBookmark, res.headers.get(D1_BOOKMARK_HEADER));
    if (seen) c.set("pageBookmark", seen);
    const type = res.headers.get("content-type") ?? "";
    const parsed = type.includes("json")
      ? await res.json()
      : res.status === 204
        ? undefined
        : await res.text();
    return res.ok
      ? { status: res.status, ok: true, headers: res.headers, body: parsed as T }
      : {
          status: res.status,
          ok: false,
          headers: res.headers,
          body: undefined as T,
          problem: (typeof parsed === "object" && parsed !== null
            ? parsed
            : {
                type: "about:blank",
                title: res.statusText || String(res.status),
                status: res.status,
                detail: String(parsed ?? ""),
                instance: c.var.requestId,
              }) as Problem,
        };
  };
}

export type SelfApi = ReturnType<typeof selfApi>;
