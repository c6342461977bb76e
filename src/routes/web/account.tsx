import type { Context } from "hono";
import type { AccountPrincipal } from "../../flows/accounts/principal";
import type { AppEnv } from "../../platform/http/app-env";
import { pageSection } from "../../platform/http/pages/section";
import { problemText } from "./errors";
import { apiFor, SIGN_IN_PATH, SIGN_OUT_PATH, SIGN_UP_PATH, safeNext, WEB_COOKIE } from "./session";

interface Session {
  token: string;
  expiresAt: string;
  user: AccountPrincipal["user"];
}

const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string) : "";

/** Where a person lands after signing in: where they were going, or their own area. */
const landing = (role: string, next: unknown) => safeNext(next, role === "merchant" ? "/merchant" : "/shop");

const ErrorNote = ({ error }: { error?: string }) =>
  error ? (
    <p role="alert" class="notice notice-error">
      {error}
    </p>
  ) : null;

const SignInForm = ({ next, error, email }: { next: string; error?: string; email?: string }) => (
  <section class="panel narrow">
    <h1>Sign in</h1>
    <ErrorNote error={error} />
    <form method="post" action={SIGN_IN_PATH} class="stack">
      <input type="hidden" name="next" value={next} />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required value={email} />
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required />
      <button type="submit" class="button primary">
        Sign in
      </button>
    </form>
    <p class="muted">
      New here? <a href={`${SIGN_UP_PATH}?next=${encodeURIComponent(next)}`}>Create an account</a>
    </p>
  </section>
);

const SignUpForm = ({
  next,
  error,
  values = {},
}: {
  next: string;
  error?: string;
  values?: Record<string, string>;
}) => (
  <section class="panel narrow">
    <h1>Create an account</h1>
    <ErrorNote error={error} />
    <form method="post" action={SIGN_UP_PATH} class="stack">
      <input type="hidden" name="next" value={next} />
      <label for="name">Your name</label>
      <input id="name" name="name" autocomplete="name" required maxlength={100} value={values.name} />
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required value={values.email} />
      <label for="password">Password</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="new-password"
        required
        minlength={8}
        aria-describedby="password-hint"
      />
      <p id="password-hint" class="muted hint">
        At least 8 characters.
      </p>
      <fieldset>
        <legend>I want to</legend>
        <label class="choice">
          <input type="radio" name="role" value="buyer" checked={values.role !== "merchant"} /> Buy
        </label>
        <label class="choice">
          <input type="radio" name="role" value="merchant" checked={values.role === "merchant"} /> Sell as a
          merchant
        </label>
      </fieldset>
      <button type="submit" class="button primary">
        Create the account
      </button>
    </form>
    <p class="muted">
      Have one? <a href={`${SIGN_IN_PATH}?next=${encodeURIComponent(next)}`}>Sign in</a>
    </p>
  </section>
);

function keepSession(c: Context<AppEnv>, session: Session) {
  WEB_COOKIE.set(c, session.token, Date.parse(session.expiresAt));
}

/**
 * Sign up, sign in and sign out, through the API's own /v1/auth routes (same validation, the same
 * login throttle and its 429 + Retry-After): a wrong answer re-renders the form with the API's words
 * and status, a right one keeps the session in the cookie and goes on (post/redirect/get).
 */
export const accountSection = pageSection(
  "Account",
  SIGN_IN_PATH,
  (r) =>
    r
      .get(SIGN_IN_PATH, (c) =>
        c.render(<SignInForm next={safeNext(c.req.query("next"), "")} />, { title: "Sign in" }),
      )
      .post(SIGN_IN_PATH, async (c) => {
        const form = await c.req.parseBody();
        const next = safeNext(form.next, "");
        const email = field(form, "email").trim();
        const answer = await apiFor(c)<Session>("/v1/auth/login", {
          json: { email, password: field(form, "password") },
          token: null,
        });
        if (!answer.ok) {
          const retry = answer.headers.get("retry-after");
          if (retry) c.header("Retry-After", retry);
          const error =
            answer.status === 401
              ? "That email and password do not match an account."
              : problemText(answer.problem);
          c.status(answer.status as 400);
          return c.render(<SignInForm next={next} email={email} error={error} />, { title: "Sign in" });
        }
        keepSession(c, answer.body);
        return c.redirect(landing(answer.body.user.role, form.next), 303);
      })
      .get(SIGN_UP_PATH, (c) =>
        c.render(<SignUpForm next={safeNext(c.req.query("next"), "")} />, { title: "Create an account" }),
      )
      .post(SIGN_UP_PATH, async (c) => {
        const form = await c.req.parseBody();
        const next = safeNext(form.next, "");
        const values = {
          name: field(form, "name"),
          email: field(form, "email").trim(),
          role: field(form, "role") === "merchant" ? "merchant" : "buyer",
        };
        const answer = await apiFor(c)<Session>("/v1/auth/signup", {
          json: { ...values, password: field(form, "password") },
          token: null,
        });
        if (!answer.ok) {
          const error =
            answer.status === 409
              ? "An account with that email exists already: sign in instead."
              : problemText(answer.problem);
          c.status(answer.status as 400);
          return c.render(<SignUpForm next={next} values={values} error={error} />, {
            title: "Create an account",
          });
        }
        keepSession(c, answer.body);
        return c.redirect(landing(answer.body.user.role, form.next), 303);
      })
      .post(SIGN_OUT_PATH, async (c) => {
        // The session ends on the server too (POST /v1/auth/logout): a copied cookie is worthless after.
        if (WEB_COOKIE.read(c)) await apiFor(c)("/v1/auth/logout", { method: "POST" });
        WEB_COOKIE.clear(c);
        return c.redirect("/shop", 303);
      }),
  { inNav: false },
);
