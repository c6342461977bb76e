/**
 * The CloudEvents 1.0 envelope every Crossdock event travels in (structured JSON mode).
 *
 * The schema version is carried in `dataschema` (`urn:crossdock:event:<type>:v<n>`), so a consumer can
 * tell which version of the data it holds before parsing it. `correlationid` is the request id that
 * started the chain, `causationid` the event or request that directly caused this one; with
 * `traceparent` they let an operator follow a request through every event it caused.
 */
export interface EventEnvelope<Type extends string = string, Data = unknown> {
  specversion: "1.0";
  id: string;
  source: string;
  type: Type;
  time: string;
  subject: string;
  datacontenttype: "application/json";
  dataschema: string;
  data: Data;
  correlationid: string;
  causationid: string;
  traceparent: string;
}

/** What caused an event: the request or event it follows from. */
export interface Causation {
  correlationId: string;
  causationId: string;
  traceparent: string;
}

const DATASCHEMA = /^urn:crossdock:event:([a-z0-9_.-]+):v([1-9][0-9]*)$/;

export const dataschemaFor = (type: string, version: number): string =>
  `urn:crossdock:event:${type}:v${version}`;

/** Reads the version out of `dataschema`; null when it is not one of ours. */
export function versionOf(envelope: Pick<EventEnvelope, "type" | "dataschema">): number | null {
  const m = DATASCHEMA.exec(envelope.dataschema ?? "");
  return m && m[1] === envelope.type ? Number(m[2]) : null;
}

export interface NewEnvelope<Type extends string, Data> {
  id: string;
  time: Date;
  source: string;
  type: Type;
  version: number;
  subject: string;
  data: Data;
  causation: Causation;
}

/** Builds an envelope; ids and time are passed in so domain code stays deterministic. */
export function createEnvelope<Type extends string, Data>(
  e: NewEnvelope<Type, Data>,
): EventEnvelope<Type, Data> {
  return {
    specversion: "1.0",
    id: e.id,
    source: e.source,
    type: e.type,
    time: e.time.toISOString(),
    subject: e.subject,
    datacontenttype: "application/json",
    dataschema: dataschemaFor(e.type, e.version),
    data: e.data,
    correlationid: e.causation.correlationId,
    causationid: e.causation.causationId,
    traceparent: e.causation.traceparent,
  };
}
