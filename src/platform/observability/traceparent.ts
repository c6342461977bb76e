/**
 * W3C Trace Context `traceparent` (version 00): parse what a client sent, or start a new trace.
 * Invalid headers are ignored, as the spec asks, rather than rejected: tracing must never fail a request.
 */
export interface TraceContext {
  traceId: string;
  /** This hop's span id; the caller's span becomes our parent. */
  spanId: string;
  parentSpanId: string | null;
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(?:-.*)?$/;
const ALL_ZERO = /^0+$/;

// Byte -> two hex digits, built once: ids are made on every request, and a table lookup per byte is
// cheaper than toString(16) + padStart + join.
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

export function randomHex(bytes: number): string {
  let hex = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) hex += HEX[b];
  return hex;
}

export function parseTraceparent(header: string | undefined | null): Omit<TraceContext, "spanId"> | null {
  const m = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!m) return null;
  const [, version, traceId, parentId, flags] = m as unknown as [string, string, string, string, string];
  // Version ff is forbidden; version 00 must have nothing after the flags.
  if (version === "ff" || (version === "00" && header!.trim().length !== 55)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(parentId)) return null;
  return { traceId, parentSpanId: parentId, flags };
}

/** Continue the client's trace when it sent a valid header, else start a new sampled one. */
export function continueOrStartTrace(header: string | undefined | null): TraceContext {
  const parent = parseTraceparent(header);
  if (parent) return { ...parent, spanId: randomHex(8) };
  // A new trace draws its trace id and span id from one call to the random source instead of two.
  const ids = randomHex(24);
  return { traceId: ids.slice(0, 32), parentSpanId: null, flags: "01", spanId: ids.slice(32) };
}

export const formatTraceparent = (t: TraceContext): string => `00-${t.traceId}-${t.spanId}-${t.flags}`;
