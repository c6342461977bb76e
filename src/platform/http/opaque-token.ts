import type { z } from "zod";
import { fromBase64Url, toBase64Url } from "../../domain/encoding/base64url";

// Real tokens are well under this; the cap keeps garbage from reaching base64 and JSON decoding.
const MAX_LENGTH = 512;

/**
 * A value as opaque base64url JSON, for tokens and cursors clients hand back unchanged. Not signed:
 * whoever decodes it must check that what it names is the caller's.
 *
 * @example
 * encodeOpaque({ o: "ord_1", v: 3 }); // "eyJvIjoib3JkXzEiLCJ2IjozfQ"
 */
export function encodeOpaque(value: unknown): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
}

/** The value `encodeOpaque` wrote, if `token` is one and matches `schema`; otherwise null. */
export function decodeOpaque<T>(token: string, schema: z.ZodType<T>): T | null {
  if (token.length === 0 || token.length > MAX_LENGTH) return null;
  try {
    const json = new TextDecoder().decode(fromBase64Url(token));
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
