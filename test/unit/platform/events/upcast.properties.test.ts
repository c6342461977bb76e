import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { userRegistered } from "../../../../src/flows/accounts/events";
import { createEnvelope } from "../../../../src/platform/events/envelope";
import { toCurrent } from "../../../../src/platform/events/upcast";

const causation = { correlationId: "req-1", causationId: "req-1", traceparent: "00-aa-bb-01" };
const envelopeOf = (version: number, data: unknown) =>
  createEnvelope({
    id: "evt_1",
    time: new Date(0),
    source: "/crossdock/api",
    type: "user.registered",
    version,
    subject: "usr_1",
    data,
    causation,
  });

const emailArb = fc.emailAddress().filter((e) => z.email().safeParse(e).success);
const v1Arb = fc.record({ userId: fc.string({ minLength: 1 }), email: emailArb, displayName: fc.string() });
const v2Arb = fc.record({
  userId: fc.string({ minLength: 1 }),
  email: emailArb,
  name: fc.string(),
  role: fc.constantFrom("buyer" as const, "merchant" as const),
});

describe("user.registered upcasting (properties)", () => {
  it("every valid v1 event becomes a valid current event that keeps the user's id, email and name", () => {
    fc.assert(
      fc.property(v1Arb, (v1) => {
        const { data } = toCurrent(envelopeOf(1, v1));
        expect(userRegistered.current.safeParse(data).success).toBe(true);
        expect(data).toEqual({ userId: v1.userId, email: v1.email, name: v1.displayName, role: "buyer" });
      }),
    );
  });

  it("every valid current event round-trips unchanged", () => {
    fc.assert(
      fc.property(v2Arb, (v2) => {
        expect(toCurrent(envelopeOf(2, v2)).data).toEqual(v2);
      }),
    );
  });
});
