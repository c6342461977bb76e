import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { sessions } from "../../flows/accounts/schema";
import { getDb } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding/sha256";
import { AppError, InvalidCredentialsError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { Layout } from "../../platform/http/pages/layout";
import { checkCredentials, startSession } from "../accounts/auth/credentials";
import {
  clearConsoleCookie,
  consoleToken,
  SIGN_IN_PATH,
  SIGN_OUT_PATH,
  safeNext,
  setConsoleCookie,
} from "./session";

const SignInPage = ({ next, error, email }: { next: string; error?: string; email?: string }) => (
  <Layout title="Sign in · Console" head={<link rel="stylesheet" href="/console/console.css" />}>
    <h1>Sign in to the console</h1>
    <p class="muted">For admin accounts: the operator's view of every flow, queue, saga and dead letter.</p>
    {error && (
      <p role="alert" class="error">
        {error}
      </p>
    )}
    <form method="post" action={SIGN_IN_PATH} class="stack">
      <input type="hidden" name="next" value={next} />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value={email} />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
  </Layout>
);

/**
 * The console's sign-in form and sign-out. Credentials are checked by the API's own login (same
 * throttle, same lockouts, same alert on a guessing spree); a wrong one re-renders the form with what
 * went wrong and the API's status (401, 429), a right one for a non-admin is refused (403) without a
 * session being kept.
 */
export const signInRoutes = new Hono<AppEnv>()
  .get(SIGN_IN_PATH, (c) => c.html(<SignInPage next={safeNext(c.req.query("next"))} />))
  .post(SIGN_IN_PATH, async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    const email = typeof form.email === "string" ? form.email.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    if (!email || !password) {
      return c.html(<SignInPage next={next} email={email} error="Enter your email and password." />, 400);
    }
    try {
      const user = await checkCredentials(c, email, password);
      if (user.role !== "admin") {
        return c.html(
          <SignInPage next={next} email={email} error="The console is for admin accounts." />,
          403,
        );
      }
      const session = await startSession(c, user.id);
      setConsoleCookie(c, session.token, session.expiresAt);
      return c.redirect(next, 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const message =
        err instanceof InvalidCredentialsError
          ? "That email and password do not match an account."
          : err.message;
      for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
      return c.html(<SignInPage next={next} email={email} error={message} />, err.status as 401 | 429);
    }
  })
  .post(SIGN_OUT_PATH, async (c) => {
    const token = consoleToken(c);
    // The session ends on the server too: a copied cookie is worthless after sign-out.
    if (token)
      await getDb(c.env.DB)
        .delete(sessions)
        .where(eq(sessions.tokenHash, await sha256Hex(token)));
    clearConsoleCookie(c);
    return c.redirect(SIGN_IN_PATH, 303);
  });
