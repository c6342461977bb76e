import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import type { ApiAnswer } from "../../platform/http/pages/self-api";
import type { Problem } from "../../platform/http/problem";
import { SIGN_IN_PATH, SignInNeeded } from "./session";

/** The API said no: thrown by `orThrow`, shown as an error page with the API's status and words. */
export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** The body of an answer that must have succeeded for the page to make sense (a product, an order). */
export function orThrow<T>(answer: ApiAnswer<T>): T {
  if (!answer.ok) throw new ApiProblem(answer.problem as Problem);
  return answer.body;
}

/** The words of a problem for a person: its detail, and what each invalid field was told. */
export function problemText(problem: Problem | undefined): string {
  if (!problem) return "Something went wrong.";
  const errors = Array.isArray(problem.errors)
    ? (problem.errors as { field?: string; message?: string }[])
    : [];
  return errors.length > 0
    ? errors.map((e) => (e.field ? `${e.field}: ${e.message}` : String(e.message))).join("; ")
    : problem.detail;
}

const HEADINGS: Record<number, string> = {
  400: "That request was not right",
  401: "Please sign in",
  403: "Not for this account",
  404: "Not found",
  409: "That could not be done now",
  410: "That has expired",
  422: "That could not be done",
  429: "Too many attempts",
};

/**
 * Every page's errors as pages, with the status the API would give: a client mistake is a 4xx page
 * saying what to do, anything else a 500 page with the request id to quote (the error is already logged
 * by the app's error handler, which ran first).
 */
export function errorPage(c: Context<AppEnv>, err: Error): Response | Promise<Response> {
  let status = 500;
  let detail = "Something went wrong on our side. Try again in a moment.";
  if (err instanceof SignInNeeded) {
    status = err.wrongRole ? 403 : 401;
    detail = err.message;
  } else if (err instanceof ApiProblem) {
    status = err.problem.status;
    detail = problemText(err.problem);
  } else if (err instanceof HTTPException) {
    // hono's own refusals: csrf's 403 for a form sent from another site, a body too large.
    status = err.status;
    detail =
      status === 403
        ? "This form was sent from another site, so it was not accepted. Reload the page and try again."
        : err.message || "That request was not right.";
  } else if (err instanceof AppError) {
    status = err.status;
    detail = err.message;
    for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  }
  c.status(status as 500);
  const heading = HEADINGS[status] ?? (status >= 500 ? "Something went wrong" : "That did not work");
  return c.render(
    <section class="panel error-panel">
      <h1>{heading}</h1>
      <p>{detail}</p>
      {status === 401 && (
        <p>
          <a class="button" href={SIGN_IN_PATH}>
            Sign in
          </a>
        </p>
      )}
      <p class="muted">
        Reference <code>{c.var.requestId}</code> · <a href="/shop">Back to the shop</a>
      </p>
    </section>,
    { title: heading },
  );
}
