import { z } from "zod";
import { currentVersion, type EventDefinition, eventVersion } from "./define-event";
import { createEnvelope, dataschemaFor, type EventEnvelope } from "./envelope";
import { type ConsumerName, type EventType, topology } from "./registry";

type JsonSchema = Record<string, unknown>;
type Ref = { $ref: string };

/** The parts of an AsyncAPI 3.0.0 document that Crossdock generates (a type, so it is a plain JSON record). */
export type AsyncApiDocument = {
  asyncapi: "3.0.0";
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  channels: Record<
    string,
    { address: string; title: string; description: string; messages: Record<string, Ref> }
  >;
  operations: Record<string, { action: "send" | "receive"; channel: Ref; summary: string; messages: Ref[] }>;
  components: { messages: Record<string, AsyncApiMessage>; correlationIds: Record<string, JsonSchema> };
};

export type AsyncApiMessage = {
  name: string;
  title: string;
  summary: string;
  description: string;
  tags: { name: string }[];
  correlationId: Ref;
  payload: JsonSchema;
  examples: { name: string; summary: string; payload: EventEnvelope }[];
};

const DESCRIPTION = `Every Crossdock event is a past-tense fact in a CloudEvents 1.0 envelope, in structured mode: the
whole envelope (attributes and \`data\`) is the JSON body of one Cloudflare Queues message, so the
queue needs no headers of its own. Each consumer has its own queue (a channel here); the relay sends
every event to the queue of each consumer subscribed to its type, at least once, and consumers drop
duplicates by \`id\`.

Versioning: \`dataschema\` names the version of \`data\` as \`urn:crossdock:event:<type>:v<n>\`. Every
version ever published is listed (\`<type>.v<n>\`) because older envelopes may still sit in the outbox,
a queue or a dead-letter queue. New events are always recorded at the current version; a consumer
accepts any listed version and upcasts it, step by step, to the current one before its handler runs.
Superseded versions are marked \`deprecated\`.`;

/** Queues carry no media type per message: the body is sent as JSON, which is why this is plain JSON. */
const CONTENT_TYPE = "application/json";

/** One message id per type and version, e.g. `user.registered.v2`. */
export const messageId = (type: string, version: number): string => `${type}.v${version}`;

/** The CloudEvents attributes as createEnvelope writes them; keyed by EventEnvelope so neither can drift. */
function envelopeSchema(def: EventDefinition, version: number): JsonSchema {
  const str = (description: string, more: JsonSchema = {}) => ({ type: "string", description, ...more });
  const properties: Record<keyof EventEnvelope, JsonSchema> = {
    specversion: str("CloudEvents version.", { const: "1.0" }),
    id: str("Unique per event; consumers deduplicate on it.", { minLength: 1 }),
    source: str("Where the event was recorded, e.g. /crossdock/api.", { format: "uri-reference" }),
    type: str("The event type.", { const: def.type }),
    time: str("When it happened (RFC 3339, UTC).", { format: "date-time" }),
    subject: str(`The id of the ${def.subject} the event is about.`, { minLength: 1 }),
    datacontenttype: str("Media type of data.", { const: "application/json" }),
    dataschema: str("The version of data.", { format: "uri", const: dataschemaFor(def.type, version) }),
    data: dataSchema(def, version),
    correlationid: str("The request id that started the chain of events.", { minLength: 1 }),
    causationid: str("The request or event that directly caused this one.", { minLength: 1 }),
    traceparent: str("W3C Trace Context of the causing request.", {
      pattern: "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
    }),
  };
  return { type: "object", required: Object.keys(properties), properties };
}

/**
 * A version's data schema as JSON Schema draft-07 (AsyncAPI's default schema format is a superset).
 * `io: "input"` describes what a consumer accepts, which is what a contract promises.
 */
function dataSchema(def: EventDefinition, version: number): JsonSchema {
  const { $schema: _, ...schema } = z.toJSONSchema(eventVersion(def, version)!.schema, {
    target: "draft-7",
    io: "input",
  });
  return schema;
}

/**
 * The catalog example at one version, in the envelope a consumer would receive. The subject is the
 * example's `<subject>Id` when it has one (`userId` for a `user` event), so the example is coherent.
 */
function exampleEnvelope(def: EventDefinition, version: number): EventEnvelope {
  const data = eventVersion(def, version)!.example;
  const ownId = (data as Record<string, unknown> | null)?.[`${def.subject}Id`];
  return createEnvelope({
    id: `evt_example_${def.type.replaceAll(".", "_")}_v${version}`,
    time: new Date("2026-01-15T09:30:00.000Z"),
    source: "/crossdock/api",
    type: def.type,
    version,
    subject: typeof ownId === "string" ? ownId : `${def.subject}_example`,
    data,
    causation: {
      correlationId: "req_example",
      causationId: "req_example",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    },
  });
}

function message(def: EventDefinition, version: number): AsyncApiMessage {
  const current = currentVersion(def);
  const superseded = version < current;
  return {
    name: def.type,
    title: `${def.type} v${version}`,
    summary: def.description,
    description: superseded
      ? `Superseded by v${current}: no longer recorded, still accepted and upcast to v${current} before a consumer sees it.`
      : "Current version: new events are recorded at it and consumers are handed it.",
    tags: [{ name: def.subject }],
    correlationId: { $ref: "#/components/correlationIds/correlationid" },
    payload: { ...envelopeSchema(def, version), ...(superseded ? { deprecated: true } : {}) },
    examples: [
      {
        name: messageId(def.type, version),
        summary: def.description,
        payload: exampleEnvelope(def, version),
      },
    ],
  };
}

/**
 * The AsyncAPI 3 document for every event Crossdock publishes, generated from the catalog and the
 * topology alone: one channel per consumer queue, one message per event type and version, one
 * `receive` operation per consumer and one `send` operation per queue for the relay.
 *
 * @example
 * app.get("/asyncapi.json", (c) => c.json(buildAsyncApiDocument()));
 */
export function buildAsyncApiDocument(): AsyncApiDocument {
  const { events, consumers, subscriptions } = topology();
  const messages: AsyncApiDocument["components"]["messages"] = {};
  for (const def of Object.values(events)) {
    for (const { version } of def.versions) messages[messageId(def.type, version)] = message(def, version);
  }
  const channels: AsyncApiDocument["channels"] = {};
  const operations: AsyncApiDocument["operations"] = {};
  for (const consumer of Object.keys(consumers) as ConsumerName[]) {
    const { queue, deadLetterQueue } = consumers[consumer];
    const types = (Object.keys(subscriptions) as EventType[]).filter((t) =>
      subscriptions[t].includes(consumer),
    );
    const ids = types.flatMap((t) => events[t].versions.map((v) => messageId(t, v.version)));
    const currentIds = types.map((t) => messageId(t, currentVersion(events[t])));
    const toChannelMessage = (id: string) => ({ $ref: `#/channels/${queue}/messages/${id}` });
    channels[queue] = {
      address: queue,
      title: `${consumer} consumer queue`,
      description: `Events for the ${consumer} consumer; what it cannot handle after its retries goes to ${deadLetterQueue}.`,
      messages: Object.fromEntries(ids.map((id) => [id, { $ref: `#/components/messages/${id}` }])),
    };
    operations[`${consumer}.receive`] = {
      action: "receive",
      channel: { $ref: `#/channels/${queue}` },
      summary: `The ${consumer} consumer handles every version, upcast to the current one.`,
      messages: ids.map(toChannelMessage),
    };
    operations[`relay.send-to-${consumer}`] = {
      action: "send",
      channel: { $ref: `#/channels/${queue}` },
      summary: `The relay publishes recorded events to ${queue}; new events are at the current version.`,
      messages: currentIds.map(toChannelMessage),
    };
  }
  return {
    asyncapi: "3.0.0",
    info: { title: "Crossdock events", version: "1.0.0", description: DESCRIPTION },
    defaultContentType: CONTENT_TYPE,
    channels,
    operations,
    components: {
      messages,
      correlationIds: {
        correlationid: {
          description: "The request id that started the chain; every event it caused carries it.",
          location: "$message.payload#/correlationid",
        },
      },
    },
  };
}
