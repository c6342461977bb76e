import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/**
 * A session token in a cookie the page's scripts cannot read (HttpOnly), sent only over HTTPS (Secure;
 * browsers treat localhost as secure, so `npm start` works), bound to this host and path `/` by the
 * `__Host-` prefix so no subdomain can set or shadow it. SameSite is the caller's choice: Strict for the
 * operator's console (no link from elsewhere should arrive signed in), Lax for the storefront (a buyer
 * following a link to their order from an email arrives signed in; forms are CSRF-checked anyway).
 */
export interface SessionCookie {
  /** The cookie's name as the browser stores it (with its `__Host-` prefix). */
  readonly name: string;
  set(c: Context, token: string, expiresAt: number): void;
  clear(c: Context): void;
  read(c: Context): string | undefined;
}

export function sessionCookie(name: string, sameSite: "Strict" | "Lax"): SessionCookie {
  return {
    name: `__Host-${name}`,
    set: (c, token, expiresAt) =>
      setCookie(c, name, token, {
        prefix: "host",
        httpOnly: true,
        secure: true,
        sameSite,
        path: "/",
        expires: new Date(expiresAt),
      }),
    clear: (c) => deleteCookie(c, name, { prefix: "host", secure: true, path: "/" }),
    read: (c) => getCookie(c, name, "host"),
  };
}
