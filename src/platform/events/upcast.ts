import { currentVersion, eventVersion } from "./define-event";
import type { EventEnvelope } from "./envelope";
import { dataschemaFor, versionOf } from "./envelope";
import { type EventData, type EventType, isEventType, topology } from "./registry";

/** An envelope at the current version of its type, with data validated against it. */
export type CurrentEvent<T extends EventType = EventType> = {
  [K in T]: EventEnvelope<K, EventData<K>>;
}[T];

/** Raised for a message that can never be processed, however often it is retried. */
export class PoisonEventError extends Error {
  override readonly name = "PoisonEventError";
}

const ENVELOPE_FIELDS = [
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "dataschema",
  "correlationid",
  "causationid",
  "traceparent",
] as const;

/** A checked envelope, its type's definition and the version its data was written at. */
function readable(raw: unknown) {
  if (typeof raw !== "object" || raw === null) throw new PoisonEventError("message is not an object");
  const env = raw as Record<string, unknown>;
  for (const f of ENVELOPE_FIELDS) {
    if (typeof env[f] !== "string") throw new PoisonEventError(`envelope field '${f}' is missing`);
  }
  const envelope = env as unknown as EventEnvelope;
  if (envelope.specversion !== "1.0")
    throw new PoisonEventError(`unsupported specversion ${envelope.specversion}`);
  if (Number.isNaN(Date.parse(envelope.time))) throw new PoisonEventError(`invalid time '${envelope.time}'`);
  if (!isEventType(envelope.type)) throw new PoisonEventError(`unknown event type '${envelope.type}'`);
  const def = topology().events[envelope.type];
  const version = versionOf(envelope);
  if (version === null || eventVersion(def, version) === undefined) {
    throw new PoisonEventError(`unknown version '${envelope.dataschema}' of ${envelope.type}`);
  }
  return { envelope, def, version, current: currentVersion(def) };
}

/**
 * Validates data against its own version's schema, then carries it through each upcaster, validating
 * after each, to the current version; `onStep` hears the data as it is at every version.
 */
function carry(
  { envelope, def, version, current }: ReturnType<typeof readable>,
  onStep?: (version: number, data: unknown) => void,
): unknown {
  let data: unknown = envelope.data;
  for (let v = version; v <= current; v++) {
    const step = eventVersion(def, v)!;
    if (v > version) data = step.upcast!(data);
    const parsed = step.schema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new PoisonEventError(
        `${envelope.type} v${v} data is invalid at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`,
      );
    }
    data = parsed.data;
    onStep?.(v, data);
  }
  return data;
}

/**
 * Reads any stored or queued envelope — any version ever published — and returns it at the current
 * version: validated against its own version's schema, then carried through each upcaster, then
 * validated against the current schema. Throws PoisonEventError when that cannot succeed.
 */
export function toCurrent(raw: unknown): CurrentEvent {
  const read = readable(raw);
  const data = carry(read);
  return {
    ...read.envelope,
    dataschema: dataschemaFor(read.envelope.type, read.current),
    data,
  } as CurrentEvent;
}

/** The data of a stored envelope at one version on its way to the current one. */
export interface UpcastStep {
  version: number;
  data: unknown;
}

/**
 * How a stored envelope reads at each version from the one it was written at to the current one (one
 * step when it is current), exactly as `toCurrent` carries it; `error` says where that stops for an
 * envelope consumers would refuse as poison.
 *
 * @example
 * upcastHistory(v1Envelope) // { steps: [{ version: 1, data: {…} }, { version: 2, data: {…} }], error: null }
 */
export function upcastHistory(raw: unknown): { steps: UpcastStep[]; error: string | null } {
  const steps: UpcastStep[] = [];
  try {
    carry(readable(raw), (version, data) => steps.push({ version, data }));
    return { steps, error: null };
  } catch (err) {
    // An upcaster that throws is as much a reason to refuse the envelope as a schema that does not match.
    return { steps, error: err instanceof Error ? err.message : String(err) };
  }
}
