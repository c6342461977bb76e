/**
 * 32-bit FNV-1a over the UTF-16 code units of a string: a stable, fast, non-cryptographic hash for
 * picking a shard and for fingerprints that must detect accidental reuse (a cursor sent with other
 * filters), not resist forgery. Shard choices depend on its exact values: never change it.
 *
 * @example
 * fnv1a("a"); // 0xe40c292c
 * fnv1a(orderId) % shards;
 */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * `fnv1a` as 8 lowercase hex digits, for fingerprints carried in cursors.
 *
 * @example
 * fnv1aHex(""); // "811c9dc5"
 */
export const fnv1aHex = (text: string): string => fnv1a(text).toString(16).padStart(8, "0");
