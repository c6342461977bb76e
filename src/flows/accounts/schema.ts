import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const ROLES = ["buyer", "merchant", "admin"] as const;

export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ["catalog:write", "events:write", "reports:read", "orders:read"] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  // Null for the admin account, whose password lives in secrets, never in D1.
  passwordHash: text("password_hash"),
  createdAt: integer("created_at").notNull(),
});

/** Bearer sessions. Only a SHA-256 of the token is stored, so a leaked table grants nothing. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // First characters of the key, shown in listings so an owner can tell keys apart.
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes", { mode: "json" }).$type<ApiKeyScope[]>().notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

/**
 * A throttled login key (`pair:…` an email from one client, `client:…`) and when it may try again, or a
 * watched email (`watch:email:…`, raises an alert, locks nothing) and until when it is watched.
 */
export const loginLockouts = sqliteTable("login_lockouts", {
  key: text("key").primaryKey(),
  until: integer("until").notNull(),
});

export type UserRow = typeof users.$inferSelect;

export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Sign-ups per UTC day and role, fed by `user.registered` (consumer: user-stats). */
export const signupStatsDaily = sqliteTable(
  "signup_stats_daily",
  {
    day: text("day").notNull(),
    role: text("role").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.role] })],
);
