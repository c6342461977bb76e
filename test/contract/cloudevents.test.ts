import { CloudEvent, ValidationError } from "cloudevents";
import { describe, expect, it } from "vitest";
import { EVENT_CATALOG } from "../../src/flows";
import { currentVersion, eventVersion } from "../../src/platform/events/define-event";
import { type Causation, createEnvelope, type EventEnvelope } from "../../src/platform/events/envelope";
import { newEvent } from "../../src/platform/events/new-event";
import type { EventData, EventType } from "../../src/platform/events/registry";
import { everyEventVersion } from "../support/event-versions";

const causation: Causation = {
  correlationId: "req_01",
  causationId: "req_01",
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
};

const envelopeAt = ({ def, v }: (typeof everyEventVersion)[number]): EventEnvelope =>
  createEnvelope({
    id: "evt_01",
    time: new Date("2026-01-15T09:30:00.000Z"),
    source: "/crossdock/api",
    type: def.type,
    version: v.version,
    subject: `${def.subject}_01`,
    data: v.example,
    causation,
  });

/** Strict validation: the SDK checks attribute names and the CloudEvents 1.0 JSON schema. */
const validate = (envelope: Record<string, unknown>) =>
  new CloudEvent(envelope as unknown as ConstructorParameters<typeof CloudEvent>[0], true);

/** Attributes the spec defines; everything else in an envelope is an extension. */
const SPEC_ATTRIBUTES = new Set([
  "specversion",
  "id",
  "source",
  "type",
  "time",
  "subject",
  "datacontenttype",
  "dataschema",
  "data",
]);

describe("every catalog version in its envelope is a valid CloudEvent", () => {
  it.each(everyEventVersion)("$name (createEnvelope)", (entry) => {
    const envelope = envelopeAt(entry);
    const event = validate({ ...envelope });
    expect(event.validate()).toBe(true);
    // Structured mode round trip: the SDK reads every attribute, extensions included, as we wrote it.
    expect(JSON.parse(event.toString())).toEqual(envelope);
    expect(event.dataschema).toBe(`urn:crossdock:event:${entry.def.type}:v${entry.v.version}`);
  });

  it.each(Object.keys(EVENT_CATALOG) as EventType[])("%s at the current version (newEvent)", (type) => {
    const def = EVENT_CATALOG[type];
    const example = eventVersion(def, currentVersion(def))!.example as EventData<typeof type>;
    const event = newEvent(type, `${def.subject}_01`, example, causation, "/crossdock/api", Date.now());
    expect(validate({ ...event }).validate()).toBe(true);
  });

  it("uses extension names the spec allows: lower-case letters and digits, at most 20 characters", () => {
    const extensions = Object.keys(envelopeAt(everyEventVersion[0]!)).filter((k) => !SPEC_ATTRIBUTES.has(k));
    expect(extensions.sort()).toEqual(["causationid", "correlationid", "traceparent"]);
    for (const name of extensions) expect(name).toMatch(/^[a-z0-9]{1,20}$/);
  });
});

describe("the validation bites", () => {
  const good = () => envelopeAt(everyEventVersion[0]!) as unknown as Record<string, unknown>;
  const rejection = (envelope: Record<string, unknown>): ValidationError => {
    try {
      validate(envelope);
    } catch (err) {
      if (err instanceof ValidationError) return err;
      throw err;
    }
    throw new Error("the envelope was accepted");
  };

  it("rejects an envelope without source", () => {
    const { source: _, ...envelope } = good();
    expect(rejection(envelope).errors).toContainEqual(
      expect.objectContaining({ keyword: "required", params: { missingProperty: "source" } }),
    );
  });

  it("rejects an extension name with an upper-case letter", () => {
    const { correlationid, ...rest } = good();
    expect(rejection({ ...rest, correlationId: correlationid }).message).toMatch(
      /^invalid extension name: correlationId/,
    );
  });

  it("rejects a dataschema that is not a URI", () => {
    expect(rejection({ ...good(), dataschema: "user registered v1" }).errors).toContainEqual(
      expect.objectContaining({ instancePath: "/dataschema", keyword: "format", params: { format: "uri" } }),
    );
  });
});
