import { describe, expect, it } from "vitest";
import { createEnvelope, type EventEnvelope } from "../../../../src/platform/events/envelope";
import { PoisonEventError, toCurrent, upcastHistory } from "../../../../src/platform/events/upcast";

const causation = { correlationId: "req-1", causationId: "req-1", traceparent: "00-aa-bb-01" };
const at = new Date("2026-03-01T10:00:00.000Z");

function envelope(type: string, version: number, data: unknown): EventEnvelope {
  return createEnvelope({
    id: "evt_1",
    time: at,
    source: "/crossdock/api",
    type,
    version,
    subject: "usr_1",
    data,
    causation,
  });
}

const v1 = { userId: "usr_1", email: "ada@example.com", displayName: "Ada Lovelace" };
const v2 = { userId: "usr_1", email: "ada@example.com", name: "Ada Lovelace", role: "merchant" };

describe("toCurrent", () => {
  it("given a v1 user.registered, then it is upcast to v2: name from displayName, role buyer", () => {
    const event = toCurrent(envelope("user.registered", 1, v1));
    expect(event.dataschema).toBe("urn:crossdock:event:user.registered:v2");
    expect(event.data).toEqual({
      userId: "usr_1",
      email: "ada@example.com",
      name: "Ada Lovelace",
      role: "buyer",
    });
    // Everything but the data and its schema travels unchanged.
    expect(event).toMatchObject({ id: "evt_1", time: at.toISOString(), correlationid: "req-1" });
  });

  it("given a current v2 event, then it comes back as it was", () => {
    const e = envelope("user.registered", 2, v2);
    expect(toCurrent(e)).toEqual(e);
  });

  it("given a JSON round trip (as a queue delivers it), then the result is the same", () => {
    const e = envelope("user.registered", 1, v1);
    expect(toCurrent(JSON.parse(JSON.stringify(e)))).toEqual(toCurrent(e));
  });

  describe("poison: messages no retry can fix", () => {
    const cases: [string, unknown, RegExp][] = [
      ["not an object", "hello", /not an object/],
      ["null", null, /not an object/],
      [
        "a missing envelope field",
        { ...envelope("user.registered", 2, v2), id: undefined },
        /'id' is missing/,
      ],
      [
        "a missing correlation id",
        { ...envelope("user.registered", 2, v2), correlationid: undefined },
        /'correlationid' is missing/,
      ],
      ["another specversion", { ...envelope("user.registered", 2, v2), specversion: "0.3" }, /specversion/],
      ["an unparseable time", { ...envelope("user.registered", 2, v2), time: "yesterday" }, /invalid time/],
      ["an unknown type", envelope("user.deleted", 1, {}), /unknown event type 'user.deleted'/],
      ["a version from the future", envelope("user.registered", 3, v2), /unknown version/],
      [
        "a version dropped before any was stored",
        envelope("catalog.import_chunk_staged", 1, {
          importId: "job_1",
          merchantId: "usr_m1",
          chunk: 0,
          rows: 1,
        }),
        /unknown version/,
      ],
      [
        "a dataschema of another type",
        { ...envelope("user.registered", 2, v2), dataschema: "urn:crossdock:event:ops.alert.raised:v1" },
        /unknown version/,
      ],
      [
        "a dataschema that is not ours",
        { ...envelope("user.registered", 2, v2), dataschema: "https://example.com/schema" },
        /unknown version/,
      ],
      [
        "v2 data without a role",
        envelope("user.registered", 2, { ...v2, role: undefined }),
        /v2 data is invalid at 'role'/,
      ],
      [
        "v1 data with a bad email",
        envelope("user.registered", 1, { ...v1, email: "nope" }),
        /v1 data is invalid at 'email'/,
      ],
      ["no data at all", { ...envelope("ops.alert.raised", 1, null) }, /ops.alert.raised v1 data is invalid/],
    ];
    it.each(cases)("given %s, then it throws PoisonEventError", (_name, raw, message) => {
      expect(() => toCurrent(raw)).toThrow(PoisonEventError);
      expect(() => toCurrent(raw)).toThrow(message);
    });
  });
});

describe("upcastHistory", () => {
  it("given a v1 user.registered, then it shows the data as written at v1 and as upcast to v2", () => {
    expect(upcastHistory(envelope("user.registered", 1, v1))).toEqual({
      steps: [
        { version: 1, data: v1 },
        { version: 2, data: toCurrent(envelope("user.registered", 1, v1)).data },
      ],
      error: null,
    });
  });

  it("given a current event, then it is one step at the current version", () => {
    expect(upcastHistory(envelope("user.registered", 2, v2))).toEqual({
      steps: [{ version: 2, data: v2 }],
      error: null,
    });
  });

  it("given poison, then it says why, after the steps that held", () => {
    expect(upcastHistory("hello")).toEqual({ steps: [], error: "message is not an object" });
    expect(upcastHistory(envelope("user.registered", 2, { ...v2, role: undefined }))).toEqual({
      steps: [],
      error: expect.stringMatching(/v2 data is invalid at 'role'/),
    });
  });
});
