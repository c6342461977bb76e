/**
 * Opaque bearer credentials. A session token and an API key are 32 random bytes behind a prefix that
 * says which kind it is; only their SHA-256 is stored, so the database alone cannot authenticate anyone.
 * (A fast hash is right here: the secret has 256 bits of entropy, unlike a password.)
 */
import { toBase64Url } from "../../platform/encoding/base64url";

export const SESSION_TOKEN_PREFIX = "cds_";
export const API_KEY_PREFIX = "cdk_";

function randomToken(prefix: string): string {
  return prefix + toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

export const newSessionToken = () => randomToken(SESSION_TOKEN_PREFIX);
export const newApiKey = () => randomToken(API_KEY_PREFIX);
