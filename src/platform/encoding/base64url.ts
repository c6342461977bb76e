/**
 * Base64 and base64url (RFC 4648 §4 and §5) for bytes: the one codec behind bearer tokens, password
 * hashes, opaque cursors and consistency tokens. Base64url is written without padding, so it can go in a
 * URL or a header as it is.
 *
 * @example
 * toBase64Url(new TextEncoder().encode("hi?")); // "aGk_"
 * fromBase64Url("aGk_"); // Uint8Array [104, 105, 63]
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Standard base64 with `+`, `/` and `=` padding. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  // One code unit a byte; no spread, which overflows the stack on large arrays.
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** @throws DOMException (`InvalidCharacterError`) when `text` is not base64. */
export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
}

/** Base64url: `-` and `_` for `+` and `/`, no padding. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** @throws SyntaxError when `text` is anything but unpadded base64url (padding, `+`, `/`, spaces). */
export function fromBase64Url(text: string): Uint8Array {
  if (!BASE64URL.test(text)) throw new SyntaxError("not base64url");
  return fromBase64(text.replaceAll("-", "+").replaceAll("_", "/"));
}
