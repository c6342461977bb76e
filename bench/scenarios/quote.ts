import type { Scenario } from "./types";

const PROMO_CODE = "BENCH10";
const LINES_PER_QUOTE = 3;
const COUNTRIES = ["US", "DE", "gb", "CA"] as const;

/** POST /v1/quotes: a signed-in buyer prices a few catalog products, half the time with a promotion. */
export const quote: Scenario = {
  name: "quote",
  summary:
    "POST /v1/quotes: price 3 in-stock catalog lines for a signed-in buyer, half with a promo code (2 reads, 1 insert)",
  async setup({ db, fixtures }) {
    const [sessions, catalog] = await Promise.all([fixtures.sessions(), fixtures.catalog()]);
    await db
      .prepare(
        "INSERT OR IGNORE INTO promotions (code, kind, value, min_subtotal_minor, category, starts_at) VALUES (?, 'percentage', 1000, 0, NULL, 0)",
      )
      .bind(PROMO_CODE)
      .run();
    const ids = catalog.quotableIds;
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
        shipTo: { country: COUNTRIES[i % COUNTRIES.length] },
        // Lower case on some: codes match case-insensitively.
        ...(i % 2 === 0 ? { promoCode: i % 4 === 0 ? PROMO_CODE : PROMO_CODE.toLowerCase() } : {}),
      }),
    }));
  },
  // Each quote gets a new id and its own expiry; the money must agree to the minor unit.
  comparable(body) {
    if (typeof body !== "object" || body === null) return body;
    const { id: _id, expiresAt: _expiresAt, ...rest } = body as Record<string, unknown>;
    return rest;
  },
};
