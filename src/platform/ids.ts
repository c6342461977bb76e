/**
 * Prefixed, time-ordered ids (`usr_…`, `prd_…`): a ULID-like 48-bit millisecond time followed by 80
 * random bits, in Crockford base32, so ids sort by creation and tell their kind at a glance.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

function timePart(ms: number): string {
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

export function newId(prefix: string, now: number = Date.now()): string {
  const rand = crypto.getRandomValues(new Uint8Array(16));
  let tail = "";
  for (const b of rand) tail += ALPHABET[b % 32];
  return `${prefix}_${timePart(now)}${tail}`;
}

/**
 * Sorts after every `prefix` id made before `ms` and before every one made at or after it: a list in
 * id order seeks to a time with `id < idTimeFloor(prefix, ms)`, without an index on the time.
 *
 * @example
 * idTimeFloor("evt", Date.parse("2026-12-05T00:00:00Z")) // "evt_01kbp…", ten characters of time
 */
export const idTimeFloor = (prefix: string, ms: number): string => `${prefix}_${timePart(ms)}`;
