import { createMiddleware } from "hono/factory";
import { auditLog } from "../../flows/ops/schema";
import { getDb } from "../../platform/db/client";
import type { AppEnv } from "../../platform/http/app-env";
import { newId } from "../../platform/ids";
import { adminOnly } from "./ops.shared";

/** A request body kept in the audit log is cut at this many characters of JSON (with a marker). */
export const MAX_AUDITED_BODY_CHARS = 4096;

/**
 * The body as sent, JSON or a form (the console's actions), or null when there was none or it could not
 * be read (the handler then answered 4xx).
 */
async function bodyOf(req: {
  header(name: string): string | undefined;
  json(): Promise<unknown>;
  parseBody(): Promise<unknown>;
}) {
  const type = req.header("content-type") ?? "";
  const form = type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data");
  if (!type.includes("json") && !form) return null;
  // Hono caches the parsed body, so this reads what validation or the handler already read.
  const body = await (form ? req.parseBody() : req.json()).catch(() => null);
  const text = JSON.stringify(body);
  return text.length <= MAX_AUDITED_BODY_CHARS ? body : { truncated: text.slice(0, MAX_AUDITED_BODY_CHARS) };
}

/**
 * Writes one audit row per attempt, after the handler has answered, whatever the answer (a refused
 * redrive is as much an operator's act as a done one). Not in the action's own D1 batch: the actions
 * are many and some are not D1 writes at all (faults live in a Durable Object), so the row is written
 * after it; if that write fails, the action stands and the full entry goes to the log as
 * `audit.write-failed` instead, so it is never silently missing.
 */
export const audited = (action: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const principal = c.get("principal");
    if (!principal) return; // adminOnly (or the console's session) runs first; no one's action otherwise
    const entry = {
      id: newId("aud"),
      at: c.get("clock").now(),
      actorId: principal.userId,
      actorEmail: principal.user.email,
      action,
      method: c.req.method,
      path: c.req.path,
      details: { params: c.req.param() as Record<string, string>, body: await bodyOf(c.req) },
      requestId: c.get("requestId"),
      status: c.res.status,
    };
    try {
      await getDb(c.env.DB).insert(auditLog).values(entry);
    } catch (err) {
      c.get("log").error("audit.write-failed", { entry, error: String(err) });
    }
  });

/**
 * Declares an /ops route an operator action: admins only, and audited under `action`. Every route that
 * changes something uses it in place of `adminOnly`, so the audit log and the routes cannot drift.
 *
 * @example
 * middleware: [...adminAction("dead-letters.redrive"), idempotency()] as const,
 */
export const adminAction = (action: string) => [adminOnly, audited(action)] as const;
