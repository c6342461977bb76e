/**
 * Prefixed, time-ordered ids (`usr_…`, `prd_…`): a ULID-like 48-bit millisecond time followed by 80
 * random bits, in Crockford base32, so ids sort by creation and tell their kind at a glance.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export function newId(prefix: string, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const rand = crypto.getRandomValues(new Uint8Array(16));
  let tail = "";
  for (const b of rand) tail += ALPHABET[b % 32];
  return `${prefix}_${time}${tail}`;
}
