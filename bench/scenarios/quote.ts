/**
 * NOT WIRED YET: joins scenarios/index.ts (and leaves tsconfig's exclude list) once the pricing engine
 * and POST /v1/quotes are merged. The request body below is this file's assumption about the route's
 * contract; align it with the merged schema. The parity check will say if the bare worker disagrees.
 */
import type { Scenario } from "./types";

const PROMO_CODE = "BENCH10";
const LINES_PER_QUOTE = 3;
const COUNTRIES = ["DE", "FR", "NL", "US"] as const;

/** POST /v1/quotes: a signed-in buyer prices a few catalog products, half the time with a promotion. */
export const quote: Scenario = {
  name: "quote",
  summary: "POST /v1/quotes: price 3 catalog lines for a signed-in buyer (reads products, writes the quote)",
  async setup({ db, fixtures }) {
    const [sessions, catalog] = await Promise.all([fixtures.sessions(), fixtures.catalog()]);
    await db
      .prepare(
        "INSERT OR IGNORE INTO promotions (code, kind, value, min_subtotal_minor, category, starts_at) VALUES (?, 'percentage', 1000, 0, NULL, 0)",
      )
      .bind(PROMO_CODE)
      .run();
    const ids = catalog.productIds;
    // Products spread over the whole catalog, chosen by a fixed stride so every run sends the same lines.
    const pick = (n: number) => ids[(n * 7_919) % ids.length]!;
    return sessions.map(({ token }, i) => ({
      method: "POST",
      path: "/v1/quotes",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        items: Array.from({ length: LINES_PER_QUOTE }, (_, k) => ({
          productId: pick(i * LINES_PER_QUOTE + k),
          quantity: 1 + ((i + k) % 3),
        })),
        shipToCountry: COUNTRIES[i % COUNTRIES.length],
        ...(i % 2 === 0 ? { promoCode: PROMO_CODE } : {}),
      }),
    }));
  },
  // Each quote gets a new id and its own times; the money must agree to the minor unit.
  comparable(body) {
    if (typeof body !== "object" || body === null) return body;
    const {
      id: _id,
      createdAt: _createdAt,
      expiresAt: _expiresAt,
      ...rest
    } = body as Record<string, unknown>;
    return rest;
  },
};
