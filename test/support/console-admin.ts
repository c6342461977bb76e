import { call } from "./http";
import { createTestUser, type TestUser } from "./users";

/** The console's session cookie (`__Host-` prefixed: Secure, path /, no Domain). */
export const CONSOLE_COOKIE = "__Host-crossdock-console";

/** The origin `call` sends requests to: a console form post must come from it (hono's csrf). */
export const CONSOLE_ORIGIN = "https://crossdock.test";

export interface ConsoleAdmin {
  admin: TestUser;
  /** GETs a console page as this admin; redirects are returned, not followed. */
  get(path: string): Promise<Response>;
  /** Posts a form as the console's pages do, from the console's own origin. */
  post(path: string, form: Record<string, string>): Promise<Response>;
}

/**
 * An admin with a live session, carried in the console's cookie as the sign-in form would set it (the
 * cookie holds the same session token the API's login issues), so a test reads pages without the form.
 *
 * @example
 * const { get } = await consoleAdmin();
 * const res = await get("/console/orders");
 */
export async function consoleAdmin(): Promise<ConsoleAdmin> {
  const admin = await createTestUser("admin", "Olga Operator");
  const cookie = `${CONSOLE_COOKIE}=${admin.token}`;
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
