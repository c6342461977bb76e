import type { Role } from "../../src/flows/accounts/schema";
import { newSessionToken } from "../../src/flows/accounts/tokens";
import { sha256Hex } from "../../src/platform/encoding/sha256";
import { newId } from "../../src/platform/ids";

export interface SeededSession {
  userId: string;
  role: Role;
  /** The bearer token; only its SHA-256 is stored, as crossdock stores it. */
  token: string;
}

const DAY_MS = 86_400_000;

/**
 * Inserts `count` users, each with one live session, straight into D1 (as test/support/users.ts does):
 * signing up through the API would spend 100,000 PBKDF2 iterations per user for nothing measured here.
 */
export async function seedSessions(
  db: D1Database,
  count: number,
  role: Role = "buyer",
  now = Date.now(),
): Promise<SeededSession[]> {
  const seeded: SeededSession[] = [];
  const statements: D1PreparedStatement[] = [];
  const insertUser = db.prepare(
    "INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?)",
  );
  const insertSession = db.prepare(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
  );
  for (let i = 0; i < count; i++) {
    const userId = newId("usr", now);
    const token = newSessionToken();
    statements.push(
      insertUser.bind(userId, `${userId}@bench.crossdock`, `Bench ${role} ${i + 1}`, role, now),
      insertSession.bind(await sha256Hex(token), userId, now, now + DAY_MS),
    );
    seeded.push({ userId, role, token });
  }
  await db.batch(statements);
  return seeded;
}
