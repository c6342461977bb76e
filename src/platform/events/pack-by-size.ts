/**
 * Splits items into consecutive groups of at most `maxItems` items and `maxBytes` bytes (as measured
 * by `sizeOf`), keeping their order. An item larger than `maxBytes` on its own gets a group of its
 * own: the caller decides whether that can happen (validation limits item sizes).
 *
 * Used to fit events into queue messages (128 KB each) and messages into `sendBatch` calls
 * (100 messages, 256 KB).
 *
 * @example
 * packBySize(envelopes, jsonBytes, { maxItems: 100, maxBytes: 200_000 })
 */
export function packBySize<T>(
  items: readonly T[],
  sizeOf: (item: T) => number,
  limits: { maxItems: number; maxBytes: number },
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxItems || bytes + size > limits.maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

const encoder = new TextEncoder();

/** The UTF-8 size of a value serialised as JSON, as a queue measures a message body. */
export const jsonBytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).length;
