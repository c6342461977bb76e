import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";

const base = inject("baseUrl");

async function api<T>(path: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect({ path, ok: res.ok, text: res.ok ? "" : text }).toEqual({ path, ok: true, text: "" });
  return JSON.parse(text) as T;
}

// One word no other test's products contain, so the search shows exactly this test's catalog.
const word = `zq${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => "bcdfghjklmnpqrtvwxz"[b % 19]).join("")}`;
const merchantEmail = `merchant-${crypto.randomUUID()}@example.com`;
const password = "correct horse battery";
let lampId: string;
let browser: Chromium;
let page: Page;

beforeAll(async () => {
  const { token } = await api<{ token: string }>("/v1/auth/signup", {
    body: { email: merchantEmail, password, name: "Mia Merchant", role: "merchant" },
  });
  const list = (title: string, price: number, stock: number, category: string) =>
    api<{ id: string }>("/v1/products", {
      token,
      body: {
        sku: `SKU-${crypto.randomUUID().slice(0, 8)}`,
        title: `${title} ${word}`,
        description: `${title}, made by hand in small batches. Ships in a recycled box.`,
        category,
        stock,
        price,
      },
    });
  lampId = (await list("Brass desk lamp", 4999, 12, "lighting")).id;
  await list("Linen lampshade", 2450, 3, "lighting");
  await list("Oak side table", 18900, 0, "furniture");
  browser = await launchChromium();
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1100, height: 800 });
});
afterAll(() => browser?.close());

async function seriousViolations(): Promise<string[]> {
  return (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
}

describe("a buyer finds a product, fills a cart and starts checking out", () => {
  it("signs up through the page's form", async () => {
    await page.goto(`${base}/account/signup?next=/shop`);
    await page.getByLabel("Your name").fill("Ada Buyer");
    await page.getByLabel("Email").fill(`buyer-${crypto.randomUUID()}@example.com`);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Create the account" }).click();
    await page.getByRole("heading", { level: 1, name: "Shop" }).waitFor();
  });

  it("sees an empty cart as such", async () => {
    await page.goto(`${base}/shop/cart`);
    await page.getByText("Your cart is empty.").waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "shop-cart-empty");
  });

  it("searches the catalog and sorts it", async () => {
    await page.goto(`${base}/shop`);
    await page.getByLabel("Search").fill(word);
    await page.getByLabel("Sort").selectOption("price_desc");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: `Oak side table ${word}` }).waitFor();
    const titles = await page.locator(".product-card h3").allTextContents();
    expect(titles).toEqual([`Oak side table ${word}`, `Brass desk lamp ${word}`, `Linen lampshade ${word}`]);
    expect(new URL(page.url()).searchParams.get("q")).toBe(word);
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "shop-catalog");
  });

  it("is told plainly when nothing matches", async () => {
    await page.getByLabel("Category").selectOption("pets");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText(`No products match “${word}” in pets.`).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "shop-catalog-empty");
    await page.getByRole("link", { name: "clear the filters" }).click();
    await page.getByLabel("Search").waitFor();
    expect(new URL(page.url()).search).toBe("");
  });

  it("opens a product and adds two to the cart", async () => {
    await page.goto(`${base}/shop?q=${word}`);
    await page.getByRole("link", { name: `Brass desk lamp ${word}` }).click();
    await page.getByRole("heading", { level: 1, name: `Brass desk lamp ${word}` }).waitFor();
    expect(await page.locator(".product-price").textContent()).toBe("$49.99");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "shop-product");
    await page.getByLabel("Quantity (1 to 12)").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.getByRole("heading", { level: 1, name: "Your cart" }).waitFor();
    expect(await page.getByRole("status").textContent()).toBe("Added to your cart.");
    expect(await page.locator(".cart-estimate").textContent()).toBe("$99.98");
    expect(await page.locator(".cart-count").textContent()).toBe("2");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "shop-cart");
  });

  it("checks out: a quote is made and the checkout page is next", async () => {
    await page.getByRole("button", { name: "Check out" }).click();
    await page.waitForURL(/\/shop\/checkout\/qt_[A-Za-z0-9_-]+$/);
  });
});

describe("the storefront's analytics, reported by its script", () => {
  const queue = "crossdock-analytics";
  const queueEmpty = (p: Page) => p.waitForFunction((key) => sessionStorage.getItem(key) === "[]", queue);

  async function viewsOf(productId: string, token: string): Promise<number> {
    const daily = await api<{ days: { views: number }[] }>(`/v1/analytics/products/${productId}/daily`, {
      token,
    });
    return daily.days.reduce((n, d) => n + d.views, 0);
  }

  it("reports a merchant's view of its own product and a buyer's view, each counted once", async () => {
    // A merchant may report on its own products (POST /v1/events' rule), so its pages load the script.
    // Its own product, that no buyer of this file has viewed (buyers' views count too).
    const { token } = await api<{ token: string }>("/v1/auth/login", {
      body: { email: merchantEmail, password },
    });
    const { id: trayId } = await api<{ id: string }>("/v1/products", {
      token,
      body: {
        sku: `SKU-${crypto.randomUUID().slice(0, 8)}`,
        title: `Walnut tray ${word}`,
        description: "A walnut tray, oiled by hand.",
        category: "kitchen",
        stock: 5,
        price: 3200,
      },
    });
    const merchant = await browser.context.newPage();
    await browser.context.clearCookies();
    const sent: string[] = [];
    merchant.on("request", (r) => {
      if (r.url().endsWith("/shop/analytics")) sent.push(r.postData() ?? "");
    });
    await merchant.goto(`${base}/account/login?next=/shop/products/${trayId}`);
    await merchant.getByLabel("Email").fill(merchantEmail);
    await merchant.getByLabel("Password").fill(password);
    await merchant.getByRole("button", { name: "Sign in" }).click();
    await merchant.getByRole("heading", { level: 1, name: `Walnut tray ${word}` }).waitFor();
    await queueEmpty(merchant);
    const first = JSON.parse(sent[0] ?? "{}") as { events: { id: string; type: string }[] };
    expect(first.events.map((e) => e.type)).toEqual(["product.viewed"]);

    // As if the answer had been lost: the same event is queued again and goes with the next page.
    await merchant.evaluate(([key, events]) => sessionStorage.setItem(key, JSON.stringify(events)), [
      queue,
      first.events,
    ] as const);
    await merchant.goto(`${base}/shop/cart`);
    await queueEmpty(merchant);
    expect(sent.length).toBe(2);
    expect(sent[1]).toBe(sent[0]);

    const deadline = Date.now() + 20_000;
    while ((await viewsOf(trayId, token)) === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    // Both requests are consumed within the queue's batch timeout (2 s); a double count would show by then.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await viewsOf(trayId, token)).toBe(1);
    // The buyer who opened the lamp earlier in this file was reported by the same script: once.
    expect(await viewsOf(lampId, token)).toBe(1);
    await merchant.close();
  });
});
