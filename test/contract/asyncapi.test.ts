import { type AsyncAPIDocumentInterface, DiagnosticSeverity, Parser } from "@asyncapi/parser";
import { CloudEvent } from "cloudevents";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CONSUMERS, EVENT_CATALOG, SUBSCRIPTIONS } from "../../src/flows";
import { buildAsyncApiDocument, messageId } from "../../src/platform/events/asyncapi";
import { currentVersion } from "../../src/platform/events/define-event";
import type { ConsumerName, EventType } from "../../src/platform/events/registry";
import { toCurrent } from "../../src/platform/events/upcast";
import { everyEventVersion } from "../support/event-versions";

const parser = new Parser();
const doc = buildAsyncApiDocument();
let parsed: AsyncAPIDocumentInterface;

const typesOf = (consumer: ConsumerName) =>
  (Object.keys(SUBSCRIPTIONS) as EventType[]).filter((t) => SUBSCRIPTIONS[t].includes(consumer));
const sorted = (xs: Iterable<string>) => [...xs].sort();
const idsOf = (collection: { all(): { id(): string }[] }) => sorted(collection.all().map((x) => x.id()));

beforeAll(async () => {
  const { document, diagnostics } = await parser.parse(doc);
  const problems = diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning);
  expect(problems.map((d) => `${d.code} at ${d.path.join("/")}: ${d.message}`)).toEqual([]);
  parsed = document!;
});

describe("the AsyncAPI document generated from the catalog", () => {
  it("is a valid AsyncAPI 3.0.0 document with neither errors nor warnings (checked in beforeAll)", () => {
    expect(parsed.version()).toBe("3.0.0");
    expect(parsed.defaultContentType()).toBe("application/json");
    // Served as JSON: nothing in it is lost in a JSON round trip.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("has one channel per consumer queue, carrying every version of the types subscribed to it", () => {
    const consumers = Object.keys(CONSUMERS) as ConsumerName[];
    const channels = parsed.channels().all();
    expect(sorted(channels.map((c) => c.address() ?? ""))).toEqual(
      sorted(consumers.map((c) => CONSUMERS[c].queue)),
    );
    for (const consumer of consumers) {
      const channel = channels.find((c) => c.address() === CONSUMERS[consumer].queue)!;
      const expected = typesOf(consumer).flatMap((t) =>
        EVENT_CATALOG[t].versions.map((v) => messageId(t, v.version)),
      );
      expect(idsOf(channel.messages())).toEqual(sorted(expected));
    }
  });

  it("has a receive operation per consumer (every version) and a send per queue (current versions)", () => {
    for (const consumer of Object.keys(CONSUMERS) as ConsumerName[]) {
      const queue = CONSUMERS[consumer].queue;
      const operations = parsed.operations().all();
      const onQueue = operations.filter((o) => o.channels().all()[0]?.address() === queue);
      const receive = onQueue.find((o) => o.isReceive())!;
      const send = onQueue.find((o) => o.isSend())!;
      expect(onQueue).toHaveLength(2);
      expect(receive.messages().length).toBe(parsed.channels().get(queue)!.messages().length);
      const current = typesOf(consumer).map((t) => messageId(t, currentVersion(EVENT_CATALOG[t])));
      expect(idsOf(send.messages())).toEqual(sorted(current));
    }
  });

  it("has one message per event type and version, superseded versions deprecated", () => {
    const expected = everyEventVersion.map(({ def, v }) => messageId(def.type, v.version));
    expect(idsOf(parsed.components().messages())).toEqual(sorted(expected));
    for (const { def, v } of everyEventVersion) {
      const id = messageId(def.type, v.version);
      const message = parsed.components().messages().get(id)!;
      expect(message.name()).toBe(def.type);
      expect(message.summary()).toBe(def.description);
      expect(message.payload()!.deprecated()).toBe(v.version < currentVersion(def));
      expect(message.payload()!.property("dataschema")!.const()).toBe(
        `urn:crossdock:event:${def.type}:v${v.version}`,
      );
    }
  });

  it("gives each message's data the fields of its catalog schema, required where zod requires them", () => {
    for (const { def, v } of everyEventVersion) {
      const id = messageId(def.type, v.version);
      const data = parsed.components().messages().get(id)!.payload()!.property("data")!;
      if (!(v.schema instanceof z.ZodObject)) throw new Error(`${id}: expected an object schema`);
      const shape = v.schema.shape as Record<string, z.ZodType>;
      expect(sorted(Object.keys(data.properties() ?? {}))).toEqual(sorted(Object.keys(shape)));
      const required = Object.keys(shape).filter((k) => !shape[k]!.safeParse(undefined).success);
      expect(sorted(data.required() ?? [])).toEqual(sorted(required));
    }
    const data = (id: string) => parsed.components().messages().get(id)!.payload()!.property("data")!;
    expect(data("user.registered.v2").required()).toContain("role");
    expect(data("user.registered.v2").property("role")!.enum()).toEqual(["buyer", "merchant"]);
    expect(data("user.registered.v1").properties()).not.toHaveProperty("role");
  });

  // The AsyncAPI 3 ruleset does not check examples against payloads, so check what matters about them:
  // each is a valid CloudEvent that a consumer accepts.
  it("has examples that are valid CloudEvents a consumer accepts and upcasts", () => {
    for (const { def, v } of everyEventVersion) {
      const id = messageId(def.type, v.version);
      const [example] = doc.components.messages[id]!.examples;
      expect(new CloudEvent({ ...example!.payload }, true).validate()).toBe(true);
      const event = toCurrent(structuredClone(example!.payload));
      expect(def.current.safeParse(event.data).success).toBe(true);
    }
  });
});

describe("the parser bites", () => {
  const errors = async (broken: unknown) =>
    (await parser.validate(broken as Parameters<Parser["validate"]>[0]))
      .filter((d) => d.severity === DiagnosticSeverity.Error)
      .map((d) => `${d.code} ${d.path.join("/")}`);

  it("reports an operation sending a message its channel does not carry", async () => {
    // An operation and a message carried by another queue but not by the operation's own.
    const queues = Object.keys(doc.channels);
    const stray = queues.flatMap((queue) =>
      queues.flatMap((other) =>
        Object.keys(doc.channels[other]!.messages)
          .filter((id) => !(id in doc.channels[queue]!.messages))
          .map((id) => ({ queue, ref: `#/channels/${other}/messages/${id}` })),
      ),
    )[0];
    if (!stray)
      throw new Error("every queue carries the same messages: pick another way to break the document");
    const [opId, op] = Object.entries(structuredClone(doc.operations)).find(
      ([, o]) => o.channel.$ref === `#/channels/${stray.queue}`,
    )!;
    const broken = {
      ...doc,
      operations: { ...doc.operations, [opId]: { ...op, messages: [{ $ref: stray.ref }] } },
    };
    expect(await errors(broken)).toContain(
      `asyncapi3-operation-messages-from-referred-channel operations/${opId}/messages/0`,
    );
  });

  it("reports a payload that is not a valid schema", async () => {
    const broken = structuredClone(doc);
    broken.components.messages["user.registered.v2"]!.payload.type = "envelope";
    expect((await errors(broken)).some((e) => e.endsWith("/user.registered.v2/payload/type"))).toBe(true);
  });
});
