/**
 * Password hashing with PBKDF2-HMAC-SHA256 through WebCrypto (no pure-JS hashing on the request path).
 *
 * Production Workers reject PBKDF2 above 100,000 iterations, while local workerd accepts more, so a
 * higher count would pass every local test and fail every login in production. The count is pinned to
 * the cap and `hashPassword` refuses anything above it.
 *
 * Stored format: `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`, so the count can change later and
 * old hashes still verify.
 */
import { fromBase64, toBase64 } from "../../platform/encoding/base64url";

export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = PBKDF2_MAX_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BITS = 256;

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new RangeError(
      `PBKDF2 iterations must be 1..${PBKDF2_MAX_ITERATIONS} (Workers' cap), got ${iterations}`,
    );
  }
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Constant-time comparison of two equal-length byte strings. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  // workerd's non-standard crypto.subtle.timingSafeEqual compares without early exit.
  return crypto.subtle.timingSafeEqual(a, b);
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iter, saltB64, hashB64] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iter || !saltB64 || !hashB64) return false;
  const expected = fromBase64(hashB64);
  const actual = await derive(password, fromBase64(saltB64), Number(iter));
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of no real password, verified when the email is unknown so that a login for a missing
 * account costs the same time as one with a wrong password.
 */
export const DUMMY_PASSWORD_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
