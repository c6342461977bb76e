import { describe, expect, it } from "vitest";
import { CONSUMERS, EVENT_CATALOG, SUBSCRIPTIONS } from "../../../../src/flows";
import { currentVersion } from "../../../../src/platform/events/define-event";
import { createEnvelope, dataschemaFor, versionOf } from "../../../../src/platform/events/envelope";
import type { EventType } from "../../../../src/platform/events/registry";
import { toCurrent } from "../../../../src/platform/events/upcast";
import { everyEventVersion } from "../../../support/event-versions";

const types = Object.keys(EVENT_CATALOG) as EventType[];

/**
 * Types recorded without any consumer (kept for the outbox's audit trail), each with the reason.
 * A type missing from SUBSCRIPTIONS' consumers and from here is a fact nobody hears by mistake.
 */
const STEP_FACT = "a saga step's fact: the order's status facts carry what the list shows; kept for audit";
const UNSUBSCRIBED: Partial<Record<EventType, string>> = {
  "inventory.reserved": STEP_FACT,
  "payment.authorized": STEP_FACT,
  "payment.captured": STEP_FACT,
  "inventory.released": STEP_FACT,
  "payment.voided": STEP_FACT,
  "payment.refunded": STEP_FACT,
  "inventory.restocked": STEP_FACT,
  "payment.capture_failed": "the order stays confirmed; operators see it in the outbox and traces",
  "order.saga_stalled": "an operator signal; alerting on it is not built yet",
  "catalog.imported":
    "the import's owner follows the job; kept for the audit trail until a consumer needs it",
};

/**
 * A lint, not grammar: a type names a fact, so its last segment should read as a past participle.
 * It catches commands (`order.place`, `email.send`), not every bad name.
 */
const PAST_PARTICIPLE = /(ed|sent|paid|done|built|held|sold|made|lost|found|taken|given|written|chosen)$/;
const TYPE_NAME = /^[a-z]+(\.[a-z_]+)+$/;
const readsAsFact = (type: string) => TYPE_NAME.test(type) && PAST_PARTICIPLE.test(type.split(".").at(-1)!);

describe("event catalog", () => {
  it.each(everyEventVersion)("$name: the example validates against its own schema", ({ v }) => {
    expect(v.schema.safeParse(v.example).error).toBeUndefined();
  });

  it.each(everyEventVersion)("$name: upcasting the example ends at the current version", ({ def, v }) => {
    const envelope = createEnvelope({
      id: "evt_01",
      time: new Date(0),
      source: "/crossdock/api",
      type: def.type,
      version: v.version,
      subject: `${def.subject}_01`,
      data: v.example,
      causation: {
        correlationId: "req_01",
        causationId: "req_01",
        traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      },
    });
    const event = toCurrent(envelope);
    expect(versionOf(event)).toBe(currentVersion(def));
    expect(def.current.safeParse(event.data).error).toBeUndefined();
    // The example of the current version is what a current-version producer writes: unchanged by toCurrent.
    if (v.version === currentVersion(def)) expect(event.data).toEqual(v.example);
  });

  it.each(everyEventVersion)("$name: versionOf reads back what dataschemaFor writes", ({ def, v }) => {
    expect(versionOf({ type: def.type, dataschema: dataschemaFor(def.type, v.version) })).toBe(v.version);
  });

  it("versionOf refuses a dataschema of another type or not ours", () => {
    expect(
      versionOf({ type: "user.registered", dataschema: dataschemaFor("ops.alert.raised", 1) }),
    ).toBeNull();
    expect(
      versionOf({ type: "user.registered", dataschema: "https://example.com/user.registered/v1" }),
    ).toBeNull();
    expect(
      versionOf({ type: "user.registered", dataschema: "urn:crossdock:event:user.registered:v0" }),
    ).toBeNull();
  });

  it("keys every definition by its own type", () => {
    for (const [key, def] of Object.entries(EVENT_CATALOG)) expect(def.type).toBe(key);
  });
});

describe("subscriptions", () => {
  it("name only catalog types and known consumers", () => {
    for (const [type, consumers] of Object.entries(SUBSCRIPTIONS)) {
      expect(types).toContain(type);
      for (const consumer of consumers) expect(Object.keys(CONSUMERS)).toContain(consumer);
    }
  });

  it.each(types)("%s has a subscriber, or is documented as unsubscribed", (type) => {
    if (UNSUBSCRIBED[type]) expect(SUBSCRIPTIONS[type]).toEqual([]);
    else expect(SUBSCRIPTIONS[type].length).toBeGreaterThan(0);
  });

  it("give every consumer its own queue and dead-letter queue", () => {
    const queues = Object.values(CONSUMERS).flatMap((c) => [c.queue, c.deadLetterQueue]);
    expect(new Set(queues).size).toBe(queues.length);
  });
});

describe("event type names", () => {
  it.each(types)("%s reads as a past-tense fact", (type) => {
    expect(readsAsFact(type)).toBe(true);
  });

  it("the lint rejects commands", () => {
    for (const command of ["order.place", "email.send", "user.register", "payment.capture", "Order.placed"]) {
      expect(readsAsFact(command)).toBe(false);
    }
  });
});
