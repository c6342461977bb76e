import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { isBookmark } from "../../platform/db/sessions";
import type { AppEnv } from "../../platform/http/app-env";

const NAME = "crossdock-d1-bookmark";
/** Long enough to outlive a redirect and the replicas' lag behind the primary (seconds), no longer. */
const MAX_AGE_SECONDS = 300;

/**
 * Read-your-writes for the pages across a redirect. selfApi carries the newest D1 bookmark between the
 * API calls of one page request (`pageBookmark`); a form post (a write, then 303 to the page showing
 * it: checkout to the order page) keeps it in a short-lived cookie, which the next page starts from.
 * Only posts set it: a page that merely read has nothing of its own to read back. Not a secret (it
 * names a database position, not a person), but HttpOnly like every cookie here; a tampered one is
 * dropped, not refused, since the person never chose it.
 */
export const carryD1Bookmark = createMiddleware<AppEnv>(async (c, next) => {
  const kept = getCookie(c, NAME, "host");
  if (kept !== undefined && isBookmark(kept)) c.set("pageBookmark", kept);
  await next();
  const latest = c.var.pageBookmark;
  if (c.req.method === "POST" && latest && latest !== kept) {
    setCookie(c, NAME, latest, {
      prefix: "host",
      httpOnly: true,
      secure: true,
      sameSite: "Lax",
      path: "/",
      maxAge: MAX_AGE_SECONDS,
    });
  }
});
