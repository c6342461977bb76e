import type { Context } from "hono";
import { AppError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";

/** A console URL with its query, leaving out what is empty. */
export function pageHref(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, v);
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

/** A time in UTC to the second, machine-readable in `datetime`. */
export const When = ({ ms }: { ms: number }) => {
  const iso = new Date(ms).toISOString();
  return <time datetime={iso}>{`${iso.slice(0, 19).replace("T", " ")} UTC`}</time>;
};

/** Long text (an error) cut to a table cell, whole in its tooltip. */
export const Short = ({ text, max = 120 }: { text: string; max?: number }) =>
  text.length <= max ? <span>{text}</span> : <span title={text}>{`${text.slice(0, max)}…`}</span>;

/**
 * What the last action said, from the query it redirected with: `done` (a status line) or `failed`
 * (an alert: the action was refused, e.g. already redriven).
 */
export const Notice = ({ c }: { c: Context<AppEnv> }) => {
  const done = c.req.query("done");
  const failed = c.req.query("failed");
  return (
    <>
      {done && (
        <p role="status" class="notice">
          {done.slice(0, 300)}
        </p>
      )}
      {failed && (
        <p role="alert" class="error">
          {failed.slice(0, 300)}
        </p>
      )}
    </>
  );
};

/**
 * Runs a console action and answers post/redirect/get: back to `back` (or where the action says) with
 * its notice. A refusal the operator can act on (409, 422, 503: already redriven, unreadable, a queue
 * down, a run in another state) comes back as an alert on the page; anything else (400, 404) is thrown
 * and answered as a problem.
 */
export async function act(
  c: Context<AppEnv>,
  back: string,
  work: () => Promise<string | { to: string; done: string }>,
): Promise<Response> {
  try {
    const outcome = await work();
    const { to, done } = typeof outcome === "string" ? { to: back, done: outcome } : outcome;
    return c.redirect(withQuery(to, "done", done), 303);
  } catch (err) {
    if (err instanceof AppError && [409, 422, 503].includes(err.status)) {
      return c.redirect(withQuery(back, "failed", err.message), 303);
    }
    throw err;
  }
}

const withQuery = (url: string, key: string, value: string) =>
  `${url}${url.includes("?") ? "&" : "?"}${key}=${encodeURIComponent(value)}`;
