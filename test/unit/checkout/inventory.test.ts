import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  confirmReservation,
  releaseInventory,
  reserveInventory,
  restockInventory,
  StepFailure,
} from "../../../src/flows/checkout/inventory";
import { getDb } from "../../../src/platform/db/client";
import { newId } from "../../../src/platform/ids";
import { aProduct, reservationsOf, stockOf } from "../../support/saga-orders";

const db = () => getDb(env.DB);
const line = (p: { productId: string; merchantId: string }, quantity: number) => ({
  productId: p.productId,
  merchantId: p.merchantId,
  quantity,
  unitPrice: 1250,
});

describe("inventory effects", () => {
  it("reserving again (a retry after a lost answer) takes the stock once", async () => {
    const p = await aProduct(5);
    const orderId = newId("ord");
    await reserveInventory(db(), orderId, [line(p, 2)], Date.now());
    await reserveInventory(db(), orderId, [line(p, 2)], Date.now());
    expect(await stockOf(p.productId)).toBe(3);
    expect(await reservationsOf(orderId)).toEqual([
      { product_id: p.productId, quantity: 2, state: "reserved" },
    ]);
  });

  it("reserving more than the stock fails permanently as out-of-stock and changes nothing", async () => {
    const p = await aProduct(1);
    const other = await aProduct(5);
    const orderId = newId("ord");
    const attempt = reserveInventory(db(), orderId, [line(other, 1), line(p, 2)], Date.now());
    await expect(attempt).rejects.toBeInstanceOf(StepFailure);
    await expect(attempt).rejects.toMatchObject({ error: { kind: "permanent", code: "out-of-stock" } });
    expect([await stockOf(p.productId), await stockOf(other.productId)]).toEqual([1, 5]);
    expect(await reservationsOf(orderId)).toEqual([]);
  });

  it("reserving a product that does not exist fails permanently", async () => {
    const attempt = reserveInventory(
      db(),
      newId("ord"),
      [{ productId: "prd_gone", merchantId: "usr_m", quantity: 1, unitPrice: 1 }],
      Date.now(),
    );
    await expect(attempt).rejects.toMatchObject({ error: { kind: "permanent", code: "item-unavailable" } });
  });

  it("release gives back once; with nothing reserved it changes nothing", async () => {
    const p = await aProduct(4);
    const orderId = newId("ord");
    await releaseInventory(db(), orderId, Date.now());
    await reserveInventory(db(), orderId, [line(p, 3)], Date.now());
    await releaseInventory(db(), orderId, Date.now());
    await releaseInventory(db(), orderId, Date.now());
    expect(await stockOf(p.productId)).toBe(4);
    expect((await reservationsOf(orderId))[0]?.state).toBe("released");
  });

  it("confirm marks the reservation sold; restock gives sold items back once and never reserved ones", async () => {
    const p = await aProduct(4);
    const orderId = newId("ord");
    await reserveInventory(db(), orderId, [line(p, 3)], Date.now());
    await restockInventory(db(), orderId, Date.now());
    expect(await stockOf(p.productId)).toBe(1);
    await confirmReservation(db(), orderId, Date.now());
    await confirmReservation(db(), orderId, Date.now());
    await restockInventory(db(), orderId, Date.now());
    await restockInventory(db(), orderId, Date.now());
    expect(await stockOf(p.productId)).toBe(4);
    expect((await reservationsOf(orderId))[0]?.state).toBe("restocked");
  });

  it("confirming an order that holds nothing fails permanently", async () => {
    await expect(confirmReservation(db(), newId("ord"), Date.now())).rejects.toMatchObject({
      error: { kind: "permanent", code: "reservation-missing" },
    });
  });
});
