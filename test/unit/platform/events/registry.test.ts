import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FLOWS, SUBSCRIPTIONS, TOPOLOGY } from "../../../../src/flows";
import { defineEvent } from "../../../../src/platform/events/define-event";
import {
  type ConsumerDeclaration,
  defineFlow,
  registeredHooks,
  registerFlows,
  topology,
} from "../../../../src/platform/events/registry";
import { syntheticFacts } from "../../../../src/platform/events/synthetic";

const schema = z.object({ id: z.string() });
const fact = (type: string) =>
  defineEvent({
    type,
    description: type,
    subject: "thing",
    current: schema,
    versions: [{ version: 1, schema, example: { id: "t_1" } }],
  });
const consumer = (subscribes: string[]): ConsumerDeclaration => ({
  description: "test",
  producer: "EMAIL_QUEUE",
  delivery: { maxBatchSize: 1, maxBatchTimeout: 1, maxRetries: 1, retryDelay: 1 },
  subscribes,
});

describe("registerFlows", () => {
  // Each case registers a scratch topology; the real one goes back after, for the other tests in the file.
  const scratch = (flows: Parameters<typeof registerFlows>[0]) => {
    const hooks = registeredHooks();
    try {
      return registerFlows(flows);
    } finally {
      registerFlows(FLOWS, hooks);
    }
  };

  it("derives who hears what from the consumers' subscriptions, in flow order", () => {
    const t = scratch([
      defineFlow({
        name: "a",
        events: { "a.happened": fact("a.happened") },
        consumers: { one: consumer(["a.happened"]) },
      }),
      defineFlow({
        name: "b",
        events: { "b.happened": fact("b.happened") },
        consumers: { two: consumer(["a.happened"]) },
      }),
    ]);
    expect(t.subscriptions).toEqual({ "a.happened": ["one", "two"], "b.happened": [] });
    expect(t.consumers).toMatchObject({
      one: { queue: "crossdock-one", deadLetterQueue: "crossdock-one-dlq" },
      two: { queue: "crossdock-two", deadLetterQueue: "crossdock-two-dlq" },
    });
  });

  it("refuses a type declared twice, a consumer declared twice, and a subscription to an undeclared type", () => {
    const a = fact("a.happened");
    expect(() =>
      scratch([
        defineFlow({ name: "a", events: { "a.happened": a }, consumers: {} }),
        defineFlow({ name: "b", events: { "a.happened": a }, consumers: {} }),
      ]),
    ).toThrow("event type a.happened is declared twice");
    expect(() =>
      scratch([
        defineFlow({ name: "a", events: {}, consumers: { one: consumer([]) } }),
        defineFlow({ name: "b", events: {}, consumers: { one: consumer([]) } }),
      ]),
    ).toThrow("consumer one is declared twice");
    expect(() =>
      scratch([defineFlow({ name: "a", events: {}, consumers: { one: consumer(["nope.happened"]) } })]),
    ).toThrow("consumer one subscribes to nope.happened, which no flow declares");
    expect(() => scratch([defineFlow({ name: "a", events: { "a.other": a }, consumers: {} })])).toThrow(
      "a.other is keyed under another type's name",
    );
  });

  it("refuses synthetic facts of a type the consumer does not subscribe to", () => {
    const a = fact("a.happened");
    const b = fact("b.happened");
    const copies = (from: typeof a) => syntheticFacts(from, (data, n) => ({ id: `${data.id}-${n}` }));
    const flow = (from: typeof a) =>
      defineFlow({
        name: "a",
        events: { "a.happened": a, "b.happened": b },
        consumers: { one: { ...consumer(["a.happened"]), synthetic: copies(from) } },
      });
    expect(scratch([flow(a)]).consumers).toMatchObject({ one: { synthetic: { from: "a.happened" } } });
    expect(() => scratch([flow(b)])).toThrow(
      "consumer one makes synthetic b.happened facts but does not subscribe to it",
    );
  });

  it("is what the event backbone reads once src/flows is imported", () => {
    expect(topology().flows).toBe(FLOWS);
    expect(topology().subscriptions).toEqual(TOPOLOGY.subscriptions);
    expect(SUBSCRIPTIONS["order.placed"]).toEqual(["order-saga", "order-projection", "merchant-orders"]);
  });
});
