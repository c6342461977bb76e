import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { SLOW_PAYMENT_TEXT } from "../../src/routes/web/shop/order-progress";
import {
  accessibilityViolations,
  type Chromium,
  cumulativeLayoutShift,
  launchChromium,
  saveScreenshot,
} from "../support/browser";
import { servedCall } from "../support/served-api";

const base = inject("baseUrl");
const PASSWORD = "correct horse battery";

/** The served worker's API as a client calls it (test/support/served-api.ts): a POST when there is a body. */
const api = async <T>(path: string, options: { token?: string; body?: unknown; status: number }) =>
  (await servedCall<T>(base, options.body === undefined ? "GET" : "POST", path, options)).body;

let browser: Chromium;
let page: Page;
let productId: string;
let buyerToken: string;

/** A quote for the signed-in buyer, made through the API as a client would (the cart is another page's). */
const aQuote = async () =>
  (
    await api<{ id: string }>("/v1/quotes", {
      token: buyerToken,
      body: { items: [{ productId, quantity: 2 }], shipTo: { country: "US" } },
      status: 200,
    })
  ).id;

const serious = async (p: Page) =>
  (await accessibilityViolations(p)).filter((v) => /\((serious|critical)\)/.test(v));

async function placeWith(card: string) {
  await page.goto(`${base}/shop/checkout/${await aQuote()}`);
  await page.getByRole("radio", { name: new RegExp(card) }).check();
  await page.getByRole("button", { name: /Place order/ }).click();
  await page.waitForURL(/\/shop\/orders\/ord_/);
  // Set on the page that loaded; a reload or navigation would drop it.
  await page.evaluate("window.sameDocument = true");
}

const status = () => page.locator("#order-status");
const stillSameDocument = async () => expect(await page.evaluate("window.sameDocument === true")).toBe(true);

beforeAll(async () => {
  const merchant = await api<{ token: string }>("/v1/auth/signup", {
    body: {
      email: `m-${crypto.randomUUID()}@example.com`,
      password: PASSWORD,
      name: "Mia Merchant",
      role: "merchant",
    },
    status: 201,
  });
  productId = (
    await api<{ id: string }>("/v1/products", {
      token: merchant.token,
      body: {
        sku: `MUG-${crypto.randomUUID().slice(0, 8)}`,
        title: "Blue mug",
        description: "A mug, blue.",
        category: "kitchen",
        stock: 100,
        price: 1250,
      },
      status: 201,
    })
  ).id;
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(() => browser?.close());

describe("a buyer checks out and follows the order, in a browser", () => {
  it("signs up through the form and sees an empty order history", async () => {
    const email = `b-${crypto.randomUUID()}@example.com`;
    await page.goto(`${base}/account/signup?next=/shop/orders`);
    await page.getByLabel("Your name").fill("Ada Buyer");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
    await page.getByText("You have not ordered anything yet.").waitFor();
    expect(await serious(page)).toEqual([]);
    await saveScreenshot(page, "shop-orders-empty");
    buyerToken = (
      await api<{ token: string }>("/v1/auth/login", { body: { email, password: PASSWORD }, status: 200 })
    ).token;
  });

  it("shows the quote, its price lock counting down, and the test cards", async () => {
    await page.goto(`${base}/shop/checkout/${await aQuote()}`);
    await page.getByRole("heading", { level: 1, name: "Checkout" }).waitFor();
    const left = page.locator(".lock-left");
    const first = await left.textContent();
    // A string, evaluated in the page: the DOM's types are not in this Node project's lib.
    await page.waitForFunction(
      `document.querySelector(".lock-left")?.textContent !== ${JSON.stringify(first)}`,
    );
    expect(await left.textContent()).toMatch(/^1[45]:\d\d$/);
    expect(await page.getByRole("radio").count()).toBe(5);
    expect(await serious(page)).toEqual([]);
    await saveScreenshot(page, "shop-checkout");
  });

  it("says when the price lock runs out and gets a new price", async () => {
    const tab = await browser.context.newPage();
    await tab.clock.install();
    const quoteId = await aQuote();
    await tab.goto(`${base}/shop/checkout/${quoteId}`);
    await tab.clock.fastForward("16:00");
    await tab.getByText("The price lock expired").waitFor();
    expect(await tab.getByRole("button", { name: /Place order/ }).isDisabled()).toBe(true);
    expect(await serious(tab)).toEqual([]);
    await saveScreenshot(tab, "shop-checkout-expired");
    await tab.getByRole("button", { name: "Get a new price" }).click();
    await tab.waitForURL(
      (url) => url.pathname.startsWith("/shop/checkout/qt_") && !url.pathname.endsWith(quoteId),
    );
    await tab.close();
  });

  it("answers at once without JavaScript, with the order as it is and a Refresh link", async () => {
    // The same session in a tab whose scripts never load: what a browser without JavaScript gets.
    const tab = await browser.context.newPage();
    await tab.route("**/*.js", (route) => route.abort());
    await tab.goto(`${base}/shop/checkout/${await aQuote()}`);
    await tab.getByRole("radio", { name: /pm_card_timeout/ }).check();
    await tab.getByRole("button", { name: /Place order/ }).click();
    await tab.waitForURL(/\/shop\/orders\/ord_/);
    await tab.getByText("Thank you: your order is placed.").waitFor();
    // The payment never answers for seconds: the order is processing whenever the page was made.
    expect(await tab.locator("#order-live .badge").textContent()).toBe("Processing");
    await tab.getByRole("link", { name: "Refresh" }).waitFor();
    expect(await serious(tab)).toEqual([]);
    await saveScreenshot(tab, "shop-order-processing");
    await tab.close();
  });

  it("sees pm_card_visa confirmed live, without a reload", async () => {
    await placeWith("pm_card_visa");
    await page.locator("#order-live .badge", { hasText: "Confirmed" }).waitFor();
    expect(await status().textContent()).toBe("Your order is confirmed");
    expect(await page.locator(".stage.done").count()).toBe(4);
    await stillSameDocument();
    // The live status arrived into room the server's markup had kept for it: nothing moved.
    expect(await cumulativeLayoutShift(page)).toBeLessThan(0.01);
    expect(await serious(page)).toEqual([]);
    await saveScreenshot(page, "shop-order-confirmed");
  });

  it("sees pm_card_slow's slow state, then confirmed", async () => {
    await placeWith("pm_card_slow");
    await page.getByText(SLOW_PAYMENT_TEXT).waitFor();
    await saveScreenshot(page, "shop-order-slow");
    await page.locator("#order-live .badge", { hasText: "Confirmed" }).waitFor();
    await page.getByText(SLOW_PAYMENT_TEXT).waitFor({ state: "hidden" });
    await stillSameDocument();
  });

  it("sees pm_card_declined's decline and what was undone", async () => {
    await placeWith("pm_card_declined");
    await page
      .getByText("Your card was declined. Nothing was charged and the items were released.")
      .waitFor();
    expect(await page.locator("#order-live .badge").textContent()).toBe("Cancelled");
    await stillSameDocument();
    expect(await serious(page)).toEqual([]);
    await saveScreenshot(page, "shop-order-declined");
  });

  it("lists the orders with their statuses", async () => {
    // From the order page's own link: it carries the order's consistency token, so the list waits for
    // the order the buyer just saw. The header's plain "Orders" link reads the projection as it is,
    // which under load may not have this order yet (the full suite showed 3 of 4).
    await page.getByRole("link", { name: "All your orders" }).click();
    await page.getByRole("heading", { level: 1, name: "Your orders" }).waitFor();
    expect(await page.locator("tbody tr").count()).toBe(4);
    await page.locator("tbody .badge", { hasText: "Cancelled" }).first().waitFor();
    expect(await serious(page)).toEqual([]);
    await saveScreenshot(page, "shop-orders");
  });
});
