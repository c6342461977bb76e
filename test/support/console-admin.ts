import { call } from "./http";
import { createTestUser, type TestUser } from "./users";

/** The console's session cookie (`__Host-` prefixed: Secure, path /, no Domain). */
export const CONSOLE_COOKIE = "__Host-crossdock-console";

export interface ConsoleAdmin {
  admin: TestUser;
  /** GETs a console page as this admin; redirects are returned, not followed. */
  get(path: string): Promise<Response>;
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
  return { admin, get: (path) => call(path, { headers: { cookie }, redirect: "manual" }) };
}
