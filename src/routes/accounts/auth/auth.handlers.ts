import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { isAdminEmail } from "../../../flows/accounts/admin-account";
import { hashPassword } from "../../../flows/accounts/password";
import { sessions, users } from "../../../flows/accounts/schema";
import { issueSession, tokenTtlSeconds } from "../../../flows/accounts/sessions";
import { getDb } from "../../../platform/db/client";
import { ConflictError, ForbiddenError } from "../../../platform/errors";
import { newEvent } from "../../../platform/events/new-event";
import { outboxStatements } from "../../../platform/events/outbox";
import { publishAfterCommit } from "../../../platform/events/publish";
import type { AppEnv } from "../../../platform/http/app-env";
import { principalOf } from "../../../platform/http/principal";
import { requestOrigin } from "../../../platform/http/request-origin";
import { newId } from "../../../platform/ids";
import type { loginRoute, logoutRoute, meRoute, signupRoute } from "./auth.routes";
import { checkCredentials, startSession } from "./credentials";
import { toUserView } from "./user.schema";

const iso = (ms: number) => new Date(ms).toISOString();

export const signup: RouteHandler<typeof signupRoute, AppEnv> = async (c) => {
  const { email, password, name, role } = c.req.valid("json");
  const db = getDb(c.env.DB);
  if (isAdminEmail(c.env, email))
    throw new ConflictError("An account with this email already exists.", "email-taken");
  const now = Date.now();
  const user = {
    id: newId("usr", now),
    email,
    name,
    role,
    passwordHash: await hashPassword(password),
    createdAt: now,
  };
  const session = await issueSession(db, user.id, tokenTtlSeconds(c.env), now);
  const { causation, record: request } = requestOrigin(c, user.id);
  const registered = newEvent(
    "user.registered",
    user.id,
    { userId: user.id, email, name, role },
    causation,
    "/crossdock/api",
    now,
  );
  try {
    // User, first session and the fact that it happened in one batch: all of them or none.
    await db.batch([
      db.insert(users).values(user),
      ...session.statements,
      ...outboxStatements(db, [registered], request, now),
    ]);
  } catch (err) {
    if (String((err as Error).message).includes("UNIQUE constraint failed: users.email")) {
      throw new ConflictError("An account with this email already exists.", "email-taken");
    }
    throw err;
  }
  c.get("log").info("auth.signed-up", { userId: user.id, role, eventId: registered.id });
  publishAfterCommit(c, [registered]);
  return c.json({ token: session.token, expiresAt: iso(session.expiresAt), user: toUserView(user) }, 201);
};

export const login: RouteHandler<typeof loginRoute, AppEnv> = async (c) => {
  const { email, password } = c.req.valid("json");
  const user = await checkCredentials(c, email, password);
  const session = await startSession(c, user.id);
  return c.json({ token: session.token, expiresAt: iso(session.expiresAt), user: toUserView(user) }, 200);
};

export const logout: RouteHandler<typeof logoutRoute, AppEnv> = async (c) => {
  const principal = principalOf(c);
  if (principal.kind !== "session") throw new ForbiddenError("Only session tokens can be logged out.");
  await getDb(c.env.DB).delete(sessions).where(eq(sessions.tokenHash, principal.tokenHash));
  return c.body(null, 204);
};

export const me: RouteHandler<typeof meRoute, AppEnv> = (c) => c.json(toUserView(principalOf(c).user), 200);
