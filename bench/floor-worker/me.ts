import type { FloorEnv } from "./index";

const SESSION_USER =
  "SELECT u.id, u.email, u.name, u.role, u.created_at FROM sessions s JOIN users u ON u.id = s.user_id" +
  " WHERE s.token_hash = ? AND s.expires_at > ?";

const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** GET /v1/me by hand: the token's SHA-256, one primary-key lookup joined to its user. */
export async function me(request: Request, env: FloorEnv): Promise<Response> {
  const token = request.headers.get("authorization")?.slice("Bearer ".length) ?? "";
  if (!token.startsWith("cds_")) return Response.json({ status: 401 }, { status: 401 });
  const hash = hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token)));
  const row = await env.DB.prepare(SESSION_USER)
    .bind(hash, Date.now())
    .raw<[string, string, string, string, number]>();
  const user = row[0];
  if (!user) return Response.json({ status: 401 }, { status: 401 });
  const [id, email, name, role, createdAt] = user;
  return Response.json({ id, email, name, role, createdAt: new Date(createdAt).toISOString() });
}
