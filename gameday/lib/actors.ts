/**
 * Who a game day's load acts as: the demo merchant, the demo buyer plus buyers signed up for the run,
 * the seeded products orders are about (enough stock for the whole run) and the merchant's own
 * products that analytics events report on.
 */
import type { Actors, LoadDriver, LoadPlanOptions } from "./load";
import { DEMO } from "./load";
import type { StateReader } from "./state";

export interface Cast {
  actors: Actors;
  merchant: { token: string; user: { id: string } };
  buyer: { token: string; user: { id: string } };
  /** Stock of each ordered product before the load, for the checker. */
  initialStock: Record<string, number>;
  /** Views counted per product before the load, for the checker. */
  initialViews: Record<string, number>;
}

export async function castActors(
  driver: LoadDriver,
  state: StateReader,
  plan: LoadPlanOptions,
): Promise<Cast> {
  const merchant = await driver.login(DEMO.merchant, DEMO.password);
  const buyer = await driver.login(DEMO.buyer, DEMO.password);
  const buyers = [{ id: buyer.user.id, token: buyer.token }];
  for (let n = 0; n < plan.buyers; n++) {
    const signup = await driver.signup(n);
    if (!signup.token || !signup.userId)
      throw new Error(`setup sign-up ${signup.email} failed: ${signup.note}`);
    buyers.push({ id: signup.userId, token: signup.token });
  }
  const stocked = state.d1<{ id: string; stock: number }>(
    "SELECT id, stock FROM products WHERE stock >= 100 ORDER BY id LIMIT ?",
    [plan.products],
  );
  if (stocked.length < plan.products)
    throw new Error(`only ${stocked.length} seeded products have stock ≥ 100`);
  const own = state.d1<{ id: string }>("SELECT id FROM products WHERE merchant_id = ? ORDER BY id LIMIT ?", [
    merchant.user.id,
    plan.products,
  ]);
  if (own.length === 0) throw new Error("the demo merchant has no seeded product to report events on");
  const viewed = [...new Set([...stocked.map((p) => p.id), ...own.map((p) => p.id)])];
  const views = state.d1<{ product_id: string; views: number }>(
    `SELECT product_id, sum(views) AS views FROM product_daily_metrics WHERE product_id IN (${viewed
      .map(() => "?")
      .join(", ")}) GROUP BY product_id`,
    viewed,
  );
  return {
    actors: {
      merchantToken: merchant.token,
      buyers,
      products: stocked.map((p) => p.id),
      eventProducts: own.map((p) => p.id),
    },
    merchant,
    buyer,
    initialStock: Object.fromEntries(stocked.map((p) => [p.id, p.stock])),
    initialViews: Object.fromEntries(views.map((v) => [v.product_id, v.views])),
  };
}
