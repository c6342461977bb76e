import type { z } from "zod";

// Real tokens are well under this; the cap keeps garbage from reaching base64 and JSON decoding.
const MAX_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A value as opaque base64url JSON, for tokens and cursors clients hand back unchanged. Not signed:
 * whoever decodes it must check that what it names is the caller's.
 *
 * @example
 * encodeOpaque({ o: "ord_1", v: 3 }); // "eyJvIjoib3JkXzEiLCJ2IjozfQ"
 */
export function encodeOpaque(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The value `encodeOpaque` wrote, if `token` is one and matches `schema`; otherwise null. */
export function decodeOpaque<T>(token: string, schema: z.ZodType<T>): T | null {
  if (token.length === 0 || token.length > MAX_LENGTH || !BASE64URL.test(token)) return null;
  try {
    const binary = atob(token.replaceAll("-", "+").replaceAll("_", "/"));
    const json = new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
