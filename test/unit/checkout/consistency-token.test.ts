import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  consistencyToken,
  parseConsistencyToken,
} from "../../../src/routes/checkout/orders/consistency-token";

describe("consistency tokens", () => {
  it("round-trip any order id and version", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), fc.nat(), (orderId, version) => {
        const point = { orderId, version };
        expect(parseConsistencyToken(consistencyToken(point))).toEqual(point);
      }),
    );
  });

  it.each([
    "",
    "!!",
    btoa("not json"),
    btoa(JSON.stringify({ orderId: "ord_1" })),
    btoa(JSON.stringify({ orderId: "ord_1", version: -1 })),
    btoa(JSON.stringify({ orderId: "ord_1", version: 1, extra: true })),
  ])("refuse %j as 400 invalid-consistency-token", (token) => {
    expect(() => parseConsistencyToken(token)).toThrowError(
      expect.objectContaining({ status: 400, type: "invalid-consistency-token" }),
    );
  });
});
