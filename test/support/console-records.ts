import { call } from "./http";
import { createTestUser, type TestUser } from "./users";

/** The origin `call` sends requests to: a console form post must come from it (hono's csrf). */
export const CONSOLE_ORIGIN = "https://crossdock.test";

export interface ConsoleBrowser {
  admin: TestUser;
  get(path: string): Promise<Response>;
  /** Posts a form as the console's pages do, from the console's own origin. */
  post(path: string, form: Record<string, string>): Promise<Response>;
}

/**
 * An admin signed in to the console: a live session (as the sign-in form would start) in the console's
 * cookie, sent with every request.
 *
 * @example
 * const browser = await signedInConsole();
 * const page = await browser.get("/console/events");
 */
export async function signedInConsole(): Promise<ConsoleBrowser> {
  const admin = await createTestUser("admin");
  const cookie = `__Host-crossdock-console=${admin.token}`;
  return {
    admin,
    get: (path) => call(path, { headers: { cookie }, redirect: "manual" }),
    post: (path, form) =>
      call(path, {
        method: "POST",
        headers: { cookie, origin: CONSOLE_ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
        redirect: "manual",
      }),
  };
}

/** A page's HTML, after checking its status and that it is a page (not a problem document). */
export async function pageOf(res: Response, status = 200): Promise<string> {
  const html = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${html.slice(0, 500)}`);
  if (!res.headers.get("content-type")?.startsWith("text/html"))
    throw new Error(`not a page: ${html.slice(0, 200)}`);
  return html;
}

const unescapeHtml = (s: string) => s.replaceAll("&amp;", "&");

/** The "Next page" link's path and query, or null on the last page. */
export const nextPageOf = (html: string): string | null => {
  const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  return href === undefined ? null : unescapeHtml(href);
};

/** The ids a page links to under `prefix` (e.g. `/console/events/`), in page order, each once. */
export const linkedIds = (html: string, prefix: string): string[] => {
  const ids = [...html.matchAll(new RegExp(`href="${prefix}([^"?/]+)"`, "g"))].map((m) =>
    decodeURIComponent(unescapeHtml(m[1] as string)),
  );
  return [...new Set(ids)];
};
