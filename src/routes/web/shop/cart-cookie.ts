import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** One product in the cart and how many. */
export interface CartLine {
  productId: string;
  quantity: number;
}

/** A quote takes at most this many lines; the cart holds no more. */
export const CART_MAX_LINES = 20;
export const CART_MAX_QUANTITY = 99;

// `prd_x:2,prd_y:1`: small enough for a cookie at 20 lines, and nothing in it is secret or priced: the
// prices come from a quote when the buyer checks out, so a hand-edited cookie changes nothing but itself.
const COOKIE = "crossdock-cart";
const LINE = /^([A-Za-z0-9_-]{1,64}):(\d{1,2})$/;

/** The cart in the buyer's browser; a malformed cookie reads as an empty cart, never an error. */
export function readCart(c: Context): CartLine[] {
  const raw = getCookie(c, COOKIE, "host") ?? "";
  const lines: CartLine[] = [];
  for (const part of raw.split(",")) {
    const m = LINE.exec(part);
    if (!m?.[1] || !m[2]) continue;
    const quantity = Number(m[2]);
    if (quantity < 1 || lines.some((l) => l.productId === m[1])) continue;
    lines.push({ productId: m[1], quantity });
    if (lines.length === CART_MAX_LINES) break;
  }
  return lines;
}

export function writeCart(c: Context, lines: CartLine[]): void {
  setCookie(c, COOKIE, lines.map((l) => `${l.productId}:${l.quantity}`).join(","), {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: 30 * 24 * 3600,
  });
}

/** How many items (not lines) the cart holds, for the header. */
export const cartCount = (c: Context) => readCart(c).reduce((n, l) => n + l.quantity, 0);
