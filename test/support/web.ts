import { call } from "./http";
import { createTestUser, type TestUser } from "./users";

/** The storefront's session cookie (`__Host-` prefixed: Secure, path /, no Domain). */
export const WEB_COOKIE = "__Host-crossdock-session";

/** The origin `call` sends requests to: a form post must come from it (hono's csrf). */
export const WEB_ORIGIN = "https://crossdock.test";

export interface WebVisitor {
  /** The account, when signed in (undefined for an anonymous visitor). */
  user?: TestUser;
  /** GETs a page with this visitor's cookies; redirects are returned, not followed. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form as the pages do, from the site's own origin, with this visitor's cookies. */
  post(path: string, form: Record<string, string>): Promise<Response>;
  /** Cookies the visitor holds, updated from every answer's Set-Cookie (as a browser would). */
  cookies: Map<string, string>;
}

/**
 * A browser-like visitor: keeps the cookies the pages set (session, cart) and sends them back. With a
 * role, it starts signed in with a session token in the session cookie, as the sign-in form sets it.
 *
 * @example
 * const buyer = await webVisitor("buyer");
 * const res = await buyer.get("/shop/orders");
 */
export async function webVisitor(role?: "buyer" | "merchant", name?: string): Promise<WebVisitor> {
  const user = role ? await createTestUser(role, name) : undefined;
  const cookies = new Map<string, string>();
  if (user) cookies.set(WEB_COOKIE, user.token);
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const [k, v] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || v === "";
      if (expired) cookies.delete(k);
      else cookies.set(k, v);
    }
    return res;
  };
  return {
    user,
    cookies,
    get: async (path, headers = {}) =>
      keep(await call(path, { headers: { cookie: cookieHeader(), ...headers }, redirect: "manual" })),
    post: async (path, form) =>
      keep(
        await call(path, {
          method: "POST",
          headers: {
            cookie: cookieHeader(),
            origin: WEB_ORIGIN,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams(form).toString(),
          redirect: "manual",
        }),
      ),
  };
}
