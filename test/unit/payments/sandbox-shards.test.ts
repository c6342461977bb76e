import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newId } from "../../../src/platform/ids";
import {
  sandboxLedger,
  shardedPrefix,
  shardForKey,
  shardOfId,
} from "../../../src/providers/payments/sandbox-shards";
import { authorizeRequest, sandbox } from "./sandbox";

type Placed = { orderId: string; shard: number };

/** Fresh order ids until `count` of them sit on pairwise different shards. */
function ordersOnDistinctShards(count: number, shards: number): Placed[] {
  const found = new Map<number, string>();
  while (found.size < count) {
    const orderId = newId("ord");
    const shard = shardForKey(orderId, shards);
    if (!found.has(shard)) found.set(shard, orderId);
  }
  return [...found].map(([shard, orderId]) => ({ orderId, shard }));
}

describe("sandbox shards: routing", () => {
  it("puts every order on one shard in range, the same one every time", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 1024 }), (orderId, shards) => {
        const shard = shardForKey(orderId, shards);
        expect(Number.isInteger(shard) && shard >= 0 && shard < shards).toBe(true);
        expect(shardForKey(orderId, shards)).toBe(shard);
      }),
    );
  });

  it("spreads order ids over the shards", () => {
    const used = new Set(Array.from({ length: 400 }, () => shardForKey(newId("ord"), 8)));
    expect(used.size).toBe(8);
  });

  it("reads the shard back from the ids it mints, and none from ids it did not mint", () => {
    for (const kind of ["auth", "cap", "ref"] as const)
      expect(shardOfId(newId(shardedPrefix(kind, 37)))).toBe(37);
    expect(shardOfId("auth_01m8e1ncf4rfpkscjhj8jdx3wp")).toBeNull();
    expect(shardOfId("pi_3Nx")).toBeNull();
  });
});

describe("SandboxGateway over shards", () => {
  it("keeps an order's authorization, capture and refund on its shard, and ids name that shard", async () => {
    const s = sandbox({ shards: 4 });
    const [{ orderId, shard }] = ordersOnDistinctShards(1, 4) as [Placed];
    const req = authorizeRequest({ orderId });

    const auth = await s.gateway.authorize(req);
    const capture = await s.gateway.capture({
      idempotencyKey: `${orderId}:capture`,
      authorizationId: auth.id,
      amount: 2599,
    });
    const refund = await s.gateway.refund({
      idempotencyKey: `${orderId}:refund`,
      captureId: capture.id,
      amount: 1000,
    });

    expect([auth.id, capture.id, refund.id].map(shardOfId)).toEqual([shard, shard, shard]);
    const own = await s.shard(shard).ledger();
    expect(own.authorizations.map((a) => [a.id, a.status])).toEqual([[auth.id, "captured"]]);
    expect(own.captures.map((c) => c.id)).toEqual([capture.id]);
    expect(own.refunds.map((r) => r.id)).toEqual([refund.id]);
    for (let other = 0; other < 4; other++) {
      if (other === shard) continue;
      expect(await s.shard(other).ledger()).toEqual({ authorizations: [], captures: [], refunds: [] });
    }
  });

  it("voids by id on the authorization's shard, and by authorize request on the order's shard", async () => {
    const s = sandbox({ shards: 4 });
    const [a, b] = ordersOnDistinctShards(2, 4) as [Placed, Placed];
    const authA = await s.gateway.authorize(authorizeRequest({ orderId: a.orderId }));
    const reqB = authorizeRequest({ orderId: b.orderId });

    await expect(
      s.gateway.void({ idempotencyKey: `${a.orderId}:void`, authorizationId: authA.id }),
    ).resolves.toEqual({ status: "voided", authorizationId: authA.id });
    const voidedB = await s.gateway.void({ idempotencyKey: `${b.orderId}:void`, authorize: reqB });

    expect((await s.shard(a.shard).ledger()).authorizations.map((r) => r.status)).toEqual(["voided"]);
    const onB = (await s.shard(b.shard).ledger()).authorizations;
    expect(onB.map((r) => [r.id, r.status])).toEqual([[voidedB.authorizationId, "voided"]]);
    expect(shardOfId(voidedB.authorizationId ?? "")).toBe(b.shard);
    // The void reached the shard the authorize goes to, so the late authorize finds it voided.
    await expect(s.gateway.authorize(reqB)).rejects.toMatchObject({ code: "authorization_voided" });
  });

  it("answers not_found for an id no shard minted", async () => {
    const { gateway } = sandbox({ shards: 4 });
    await expect(
      gateway.capture({ idempotencyKey: "k:capture", authorizationId: "auth_elsewhere", amount: 1 }),
    ).rejects.toMatchObject({ name: "PaymentRejectedError", code: "not_found" });
  });

  it("runs slow authorizations of orders on different shards side by side, not one after another", async () => {
    const s = sandbox({ shards: 8, slowMs: 300 });
    const orders = ordersOnDistinctShards(8, 8);
    const sent: number[] = [];
    const answered: number[] = [];
    let clock = 0;

    await Promise.all(
      orders.map(async ({ orderId }) => {
        sent.push(++clock);
        await s.gateway.authorize(authorizeRequest({ orderId, paymentMethod: "pm_card_slow" }));
        answered.push(++clock);
      }),
    );

    // Every call was sent before the first answer came back: all eight waited out one delay together.
    expect(Math.max(...sent)).toBeLessThan(Math.min(...answered));
    const ledger = await s.ledger();
    expect(ledger.authorizations).toHaveLength(8);
    expect(new Set(ledger.authorizations.map((a) => shardOfId(a.id))).size).toBe(8);
  });

  it("lists the whole account across shards, and one order from its shard alone", async () => {
    const s = sandbox({ shards: 4 });
    const [a, b] = ordersOnDistinctShards(2, 4) as [Placed, Placed];
    const authA = await s.gateway.authorize(authorizeRequest({ orderId: a.orderId }));
    const authB = await s.gateway.authorize(authorizeRequest({ orderId: b.orderId }));

    expect((await s.ledger()).authorizations.map((r) => r.id)).toEqual([authA.id, authB.id]);
    const one = await sandboxLedger(env.PAYMENT_SANDBOX, { instance: s.instance, shards: 4 }, b.orderId);
    expect(one.authorizations.map((r) => r.id)).toEqual([authB.id]);
  });
});
