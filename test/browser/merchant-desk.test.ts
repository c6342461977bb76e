import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { accessibilityViolations, type Chromium, launchChromium, saveScreenshot } from "../support/browser";
import { type ServedCallArgs, servedCall } from "../support/served-api";

const base = inject("baseUrl");
const PASSWORD = "correct horse battery";
const email = `merchant-${crypto.randomUUID().slice(0, 8)}@example.com`;
const sku = `LAMP-${crypto.randomUUID().slice(0, 8)}`;

/** The served worker's API as a client calls it (test/support/served-api.ts); the answer's body. */
const api = async <T>(...args: ServedCallArgs) => (await servedCall<T>(base, ...args)).body;

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A buyer (through the API) orders the product with the sandbox's good card; resolves once confirmed. */
async function aConfirmedOrderOf(productId: string): Promise<string> {
  const { token } = await api<{ token: string }>("POST", "/v1/auth/signup", {
    body: {
      email: `buyer-${crypto.randomUUID()}@example.com`,
      password: PASSWORD,
      name: "Ada Buyer",
      role: "buyer",
    },
    status: 201,
  });
  const quote = await api<{ id: string }>("POST", "/v1/quotes", {
    token,
    body: { items: [{ productId, quantity: 2 }], shipTo: { country: "US" } },
    status: 200,
  });
  const { id } = await api<{ id: string }>("POST", "/v1/orders", {
    token,
    body: { quoteId: quote.id, paymentMethod: "pm_card_visa" },
    status: 202,
  });
  await until("the order to be confirmed", async () => {
    const order = await api<{ status: string }>("GET", `/v1/orders/${id}`, { token, status: 200 });
    return order.status === "confirmed" ? true : undefined;
  });
  return id;
}

let browser: Chromium;
let page: Page;
let productId: string;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.context.newPage();
});
afterAll(() => browser?.close());

async function seriousViolations(): Promise<string[]> {
  return (await accessibilityViolations(page)).filter((v) => /\((serious|critical)\)/.test(v));
}

/** A link in the header's navigation. */
const navTo = (name: string) =>
  page.getByRole("navigation", { name: "Site" }).getByRole("link", { name, exact: true });
const heading = (name: string | RegExp) => page.getByRole("heading", { level: 1, name }).waitFor();

describe("the merchant workspace, in a browser", () => {
  it("signs a merchant up through the form and shows where to start", async () => {
    // With `next`: the sign-up form sends everyone without one to /shop (see the report on account.tsx).
    await page.goto(`${base}/account/signup?next=/merchant`);
    await page.getByLabel("Your name").fill("Mia Merchant");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByLabel("Sell as a merchant").check();
    await page.getByRole("button", { name: "Create the account" }).click();
    await heading("Welcome, Mia Merchant");
    expect(new URL(page.url()).pathname).toBe("/merchant");
    await page.getByRole("heading", { name: "Add your first product or import a file" }).waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-home-empty");
  });

  it("adds a product through the form and lists it", async () => {
    await page.getByRole("link", { name: "Add a product" }).click();
    await heading("Products");
    await page.getByLabel("Title").fill("Brass desk lamp");
    await page.getByLabel("SKU").fill(sku);
    await page.getByLabel("Description").fill("A warm brass lamp for a desk.");
    await page.getByLabel("Category").selectOption("lighting");
    await page.getByLabel("Price (USD)").fill("49.90");
    await page.getByLabel("Stock").fill("12");
    await page.getByRole("button", { name: "Add the product" }).click();
    await page.getByRole("status").filter({ hasText: "Product added." }).waitFor();
    const table = page.getByRole("table", { name: "Your products, newest first" });
    await table.getByRole("row", { name: /Brass desk lamp/ }).waitFor();
    const href = await table.getByRole("link", { name: "Figures for Brass desk lamp" }).getAttribute("href");
    productId = href!.split("/").pop()!;
    expect(productId).toMatch(/^prd_/);
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-products");
  });

  it("creates an API key with one scope, shows it once, and the key works within that scope", async () => {
    await navTo("API keys").click();
    await heading("API keys");
    await page.getByLabel("Name").fill("desk sync");
    await page.getByLabel(/orders:read/).check();
    await page.getByRole("button", { name: "Create the key" }).click();
    await heading("Your new API key");
    const key = (await page.locator("#new-key-secret").textContent())?.trim() ?? "";
    expect(key).toMatch(/^cdk_/);
    await page.getByText("You will not see it again").waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-api-key-created");

    await api("GET", "/v1/merchant/orders", { token: key, status: 200 });
    await api("GET", "/v1/settlements", { token: key, status: 403 });

    await page.getByRole("link", { name: /back to API keys/ }).click();
    await heading("API keys");
    expect(await page.content()).not.toContain(key);
    await page.getByRole("link", { name: "Revoke desk sync" }).click();
    await heading("Revoke “desk sync”?");
    expect(await seriousViolations()).toEqual([]);
    await page.getByRole("button", { name: "Revoke the key" }).click();
    await page.getByRole("status").filter({ hasText: "API key revoked." }).waitFor();
    await api("GET", "/v1/merchant/orders", { token: key, status: 401 });
  });

  it("opens the order desk on the paid order to fulfil", async () => {
    const orderId = await aConfirmedOrderOf(productId);
    // The desk is a read model a moment behind the order: reload until it has caught up.
    await until("the desk to show the order", async () => {
      await page.goto(`${base}/merchant/orders`);
      return (await page.getByRole("link", { name: orderId }).count()) > 0 ? true : undefined;
    });
    await heading("Orders");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-orders");
    await page.getByRole("link", { name: orderId }).click();
    await heading(`Order ${orderId}`);
    await page
      .getByRole("table", { name: "Your lines in this order" })
      .getByRole("row", { name: /Brass desk lamp 2/ })
      .waitFor();
    expect(await seriousViolations()).toEqual([]);
  });

  it("shows the front page's figures and the settlements page", async () => {
    await navTo("Workspace").click();
    await heading("Your workspace");
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-home");

    await navTo("Settlements").click();
    await heading("Settlements");
    await page.getByText("No settlements yet.").waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-settlements");
  });

  it("charts a product's daily figures above the same figures as a table", async () => {
    const { token } = await api<{ token: string }>("POST", "/v1/auth/login", {
      body: { email, password: PASSWORD },
      status: 200,
    });
    const DAY = 86_400_000;
    const events = [6, 5, 4, 3, 2, 1, 0].flatMap((ago, i) => {
      const occurredAt = new Date(Math.min(Date.now() - ago * DAY, Date.now() - 1000)).toISOString();
      const of = (type: string, n: number) =>
        Array.from({ length: n }, (_, j) => ({ id: `e-${ago}-${type}-${j}`, type, occurredAt, productId }));
      return [
        ...of("product.viewed", 4 + ((i * 5) % 9)),
        ...of("product.added_to_cart", 1 + (i % 3)),
        ...of("checkout.started", i % 2),
      ];
    });
    await api("POST", "/v1/events", { token, body: { events }, status: 202 });
    const today = new Date().toISOString().slice(0, 10);
    await until("the figures to be counted", async () => {
      const daily = await api<{ days: { day: string; views: number }[] }>(
        "GET",
        `/v1/analytics/products/${productId}/daily`,
        { token, status: 200 },
      );
      return daily.days.find((d) => d.day === today)?.views ? true : undefined;
    });
    await navTo("Analytics").click();
    await heading("Analytics");
    await page.getByRole("link", { name: "Brass desk lamp" }).click();
    await heading("Brass desk lamp: daily figures");
    await page.locator("#analytics-chart canvas").waitFor();
    await page
      .getByRole("table", { name: /^Per UTC day/ })
      .getByRole("rowheader", { name: today })
      .waitFor();
    expect(await seriousViolations()).toEqual([]);
    await saveScreenshot(page, "merchant-analytics");
  });
});
