import type { Db } from "../../platform/db/client";
import { sha256Hex } from "../../platform/encoding/sha256";
import { timingSafeEqual } from "./password";
import { type UserRow, users } from "./schema";

/** The admin's fixed user id: one admin account, defined by secrets, materialised on first login. */
export const ADMIN_USER_ID = "usr_admin";

type AdminSecrets = Pick<Env, "ADMIN_EMAIL" | "ADMIN_PASSWORD">;

/** Whether the email names the configured admin (secrets ADMIN_EMAIL / ADMIN_PASSWORD). */
export function isAdminEmail(env: AdminSecrets, email: string): boolean {
  return Boolean(env.ADMIN_EMAIL) && env.ADMIN_EMAIL.trim().toLowerCase() === email;
}

/**
 * Checks the admin password against the secret in constant time. Both sides are hashed first so the
 * comparison has equal lengths and reveals nothing about the secret's length.
 */
export async function verifyAdminPassword(env: AdminSecrets, password: string): Promise<boolean> {
  if (!env.ADMIN_PASSWORD) return false;
  const [given, expected] = await Promise.all([sha256Hex(password), sha256Hex(env.ADMIN_PASSWORD)]);
  const enc = new TextEncoder();
  return timingSafeEqual(enc.encode(given), enc.encode(expected));
}

/**
 * Creates or refreshes the admin's user row (so sessions and foreign keys have something to point at)
 * and returns it as stored, with its original creation time.
 */
export async function upsertAdmin(db: Db, email: string, now: number): Promise<UserRow> {
  const row: UserRow = {
    id: ADMIN_USER_ID,
    email,
    name: "Administrator",
    role: "admin",
    passwordHash: null,
    createdAt: now,
  };
  return db
    .insert(users)
    .values(row)
    .onConflictDoUpdate({ target: users.id, set: { email } })
    .returning()
    .get();
}
