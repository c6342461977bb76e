import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { type ServedCallArgs, servedCall } from "../support/served-api";
import { SERVED_ADMIN } from "../support/served-worker";

const base = inject("baseUrl");

/** The served worker's API as a client calls it (test/support/served-api.ts). */
const api = <T>(...args: ServedCallArgs) => servedCall<T>(base, ...args);

async function signUp(role: "buyer" | "merchant"): Promise<string> {
  const { body } = await api<{ token: string }>("POST", "/v1/auth/signup", {
    body: {
      email: `${role}-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      name: role === "buyer" ? "Ada Buyer" : "Mia Merchant",
      role,
    },
    status: 201,
  });
  return body.token;
}

/**
 * An order placed as clients place one (a merchant lists a mug, a buyer prices it and orders it), then
 * followed until its saga has confirmed and captured it. Its trace is the order request's id.
 */
async function placeOrder(): Promise<{ orderId: string; requestId: string }> {
  const merchant = await signUp("merchant");
  const product = await api<{ id: string }>("POST", "/v1/products", {
    token: merchant,
    body: {
      sku: `MUG-${crypto.randomUUID().slice(0, 8)}`,
      title: "Blue mug",
      description: "A mug, blue.",
      category: "kitchen",
      stock: 10,
      price: 1250,
    },
    status: 201,
  });
  const buyer = await signUp("buyer");
  const quote = await api<{ id: string }>("POST", "/v1/quotes", {
    token: buyer,
    body: { items: [{ productId: product.body.id, quantity: 1 }], shipTo: { country: "US" } },
    status: 200,
  });
  const placed = await api<{ id: string }>("POST", "/v1/orders", {
    token: buyer,
    body: { quoteId: quote.body.id, paymentMethod: "pm_card_visa" },
    status: 202,
  });
  const orderId = placed.body.id;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { body } = await api<{ status: string; steps: { name: string; status: string }[] }>(
      "GET",
      `/v1/orders/${orderId}`,
      { token: buyer, status: 200 },
    );
    const captured = body.steps.some((s) => s.name === "capture-payment" && s.status === "succeeded");
    if (body.status === "confirmed" && captured) break;
    if (Date.now() > deadline) throw new Error(`order ${orderId} is still ${body.status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { orderId, requestId: placed.headers.get("x-request-id")! };
}

let browser: Chromium;
let page: Page;
let order: { orderId: string; requestId: string };

beforeAll(async () => {
  order = await placeOrder();
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(() => browser?.close());

/** axe's serious and critical findings on the page as it is now. */
async function seriousViolations(): Promise<string[]> {
  return (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
}

describe("the console's orders, find and traces, in a browser", () => {
  it("signs in through the form and lands where it was going", async () => {
    await page.goto(`${base}/console/orders`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.getByLabel("Email").fill(SERVED_ADMIN.email);
    await page.getByLabel("Password").fill(SERVED_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Orders" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/console/orders");
    await page.getByRole("link", { name: order.orderId }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-orders");
  });

  it("finds the order by its id with the header's search box and shows its saga's timeline", async () => {
    await page.getByLabel("Find").fill(order.orderId);
    await page.getByLabel("Find").press("Enter");
    await page.getByRole("heading", { level: 1, name: `Order ${order.orderId}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console/orders/${order.orderId}`);
    const steps = page.getByRole("table", { name: "Saga steps, in the order they started" });
    for (const step of ["reserve-inventory", "authorize-payment", "confirm-order", "capture-payment"]) {
      await steps.getByRole("row", { name: new RegExp(`^${step} succeeded`) }).waitFor();
    }
    const facts = page.getByRole("table", { name: "Facts the order published, oldest first" });
    await facts.getByRole("rowheader", { name: "order.placed" }).waitFor();
    await facts.getByRole("rowheader", { name: "payment.captured" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-order");
  });

  it("follows the order's trace to a waterfall whose facts link to their envelopes", async () => {
    await page.getByRole("link", { name: `Follow trace ${order.requestId}` }).click();
    await page.getByRole("heading", { level: 1, name: `Trace ${order.requestId}` }).waitFor();
    const waterfall = page.getByRole("table", { name: /^Waterfall over/ });
    await waterfall.getByRole("row", { name: /^\+\d+ ms Request POST \/v1\/orders/ }).waitFor();
    await waterfall.getByRole("row", { name: /Fact order\.placed evt_/ }).waitFor();
    await waterfall.getByRole("row", { name: /order-saga handles order\.placed, attempt 1 acked/ }).waitFor();
    const envelope = waterfall.getByRole("row", { name: /Fact order\.placed/ }).getByRole("link");
    expect(await envelope.getAttribute("href")).toMatch(/^\/console\/events\/evt_/);
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-trace");
  });

  it("says what was searched when the search box finds nothing", async () => {
    await page.getByLabel("Find").first().fill("ord_no_such_order");
    await page.getByLabel("Find").first().press("Enter");
    await page.getByRole("heading", { level: 1, name: "Find" }).waitFor();
    expect(await page.getByRole("status").textContent()).toBe("Nothing matches ord_no_such_order.");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "console-find-nothing");
  });
});
