/**
 * Full-page screenshots of the console's pages in docs/console/<page>.png, to show in the docs and to
 * look at after a change: `npm run console:screenshots`.
 *
 * Serves the production bundle (as the browser tests do), seeds a little demo data through the API (a
 * merchant and a buyer signed up, a product, an order placed and paid, a game-day record, a settlement
 * run; yesterday's sale and one dead letter written straight to D1, since the run settles closed days
 * only and a real dead letter takes the consumer's whole retry schedule), signs in as the admin through the console's form and photographs every section the console
 * lists (CONSOLE_SECTIONS), plus the page of one event.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CONSOLE_SECTIONS } from "../src/routes/console";
import { launchChromium } from "../test/support/browser";
import { SERVED_ADMIN, SERVED_PORTS, startServedWorker } from "../test/support/served-worker";

const OUT = join(import.meta.dirname, "..", "docs", "console");
const PASSWORD = "demo-password-1";

async function api<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Polls until `probe` is true (background work: consumers, the saga), at most 20 s. */
async function until(what: string, probe: () => Promise<boolean>) {
  const deadline = Date.now() + 20_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(250);
  }
}

async function seed(base: string, db: D1Database) {
  type Session = { token: string; user: { id: string } };
  const bearer = (s: Session) => ({ authorization: `Bearer ${s.token}` });
  const signup = (email: string, name: string, role: string) =>
    api<Session>(base, "POST", "/v1/auth/signup", { email, password: PASSWORD, name, role });
  const merchant = await signup("merchant@demo.crossdock", "Demo Merchant", "merchant");
  const buyer = await signup("buyer@demo.crossdock", "Demo Buyer", "buyer");
  const product = await api<{ id: string }>(
    base,
    "POST",
    "/v1/products",
    {
      sku: "LAMP-1",
      title: "Brass desk lamp",
      description: "A brass desk lamp with a linen shade.",
      category: "lighting",
      stock: 40,
      price: 4900,
      currency: "USD",
    },
    bearer(merchant),
  );
  const quote = await api<{ id: string }>(
    base,
    "POST",
    "/v1/quotes",
    { items: [{ productId: product.id, quantity: 2 }], shipTo: { country: "US" } },
    { ...bearer(buyer), "idempotency-key": "demo-quote-1" },
  );
  const order = await api<{ id: string }>(
    base,
    "POST",
    "/v1/orders",
    { quoteId: quote.id, paymentMethod: "pm_card_visa" },
    { ...bearer(buyer), "idempotency-key": "demo-order-1" },
  );
  await until("the order to be confirmed", async () => {
    const o = await api<{ status: string }>(base, "GET", `/v1/orders/${order.id}`, undefined, bearer(buyer));
    return o.status !== "pending" && o.status !== "processing";
  });

  const admin = await api<Session>(base, "POST", "/v1/auth/login", SERVED_ADMIN);
  const now = Date.now();
  await api(
    base,
    "POST",
    "/ops/gamedays",
    {
      id: "consumer-failure-demo",
      scenario: "consumer-failure",
      verdict: "held",
      hypothesis: "If the email consumer fails for a minute, no email is lost or sent twice.",
      startedAt: new Date(now - 300_000).toISOString(),
      endedAt: new Date(now - 60_000).toISOString(),
      checks: [
        { name: "no acknowledged effect lost", expected: "0", actual: "0", held: true },
        { name: "duplicated effects", expected: "0", actual: "0", held: true },
      ],
      totals: { lost: 0, duplicated: 0, unexpected: 0 },
      markdown: "# Game day: consumer-failure — held\n",
      reportPath: "gameday/reports/consumer-failure-demo/",
    },
    bearer(admin),
  );
  // Yesterday's sale, so the run (which settles closed days only) has something to settle.
  const yesterdayNoon = now - (now % 86_400_000) - 12 * 3_600_000;
  await db
    .prepare(
      `INSERT INTO settlement_entries (order_id, merchant_id, kind, currency, amount_minor, occurred_at, event_id, settlement_id, recorded_at)
       VALUES ('ord_demo_yesterday', ?, 'sale', 'USD', 9800, ?, 'evt_demo_yesterday', NULL, ?)`,
    )
    .bind(merchant.user.id, yesterdayNoon, now)
    .run();
  await api(base, "POST", "/ops/settlements/run", {}, bearer(admin));

  const registered = await db
    .prepare("SELECT id, type, envelope FROM outbox WHERE type = 'user.registered' ORDER BY id LIMIT 1")
    .first<{ id: string; type: string; envelope: string }>();
  if (registered) {
    await db
      .prepare(
        `INSERT INTO dead_letters (id, origin_queue, consumer, event_id, event_type, envelope, last_error, attempts, first_failed_at, last_failed_at, size_bytes, status)
         VALUES ('dlq_demo', 'crossdock-user-stats', 'user-stats', ?, ?, ?, 'D1_ERROR: database is locked', 6, ?, ?, ?, 'dead')`,
      )
      .bind(
        registered.id,
        registered.type,
        registered.envelope,
        now - 120_000,
        now - 60_000,
        registered.envelope.length,
      )
      .run();
  }
  await until("the welcome emails", async () => {
    const row = await db.prepare("SELECT count(*) AS n FROM mailbox").first<{ n: number }>();
    return (row?.n ?? 0) >= 2;
  });
}

/** docs/console/<name>.png: the section's path after /console/ (`overview` for the console's home). */
const fileOf = (href: string) =>
  href === "/console" ? "overview" : href.slice("/console/".length).replaceAll("/", "-");

async function main() {
  // Wrangler, reading wrangler.toml for the served worker, would warn about the secrets this sets itself.
  process.env.WRANGLER_LOG ??= "error";
  const server = await startServedWorker(SERVED_PORTS.screenshots);
  // The console's cookie is Secure: browsers keep it over plain HTTP only for localhost.
  const base = server.url.replace("127.0.0.1", "localhost");
  const browser = await launchChromium();
  try {
    await seed(server.url, server.db);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/console/login`);
    await page.getByLabel("Email").fill(SERVED_ADMIN.email);
    await page.getByLabel("Password").fill(SERVED_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console`);
    await mkdir(OUT, { recursive: true });

    // The sections in the header; Find and Traces need an id, so they are shot from an order below.
    const shots = CONSOLE_SECTIONS.filter((s) => s.inNav).map((s) => s.href);
    for (const href of shots) {
      const res = await page.goto(`${base}${href}`);
      if (res?.status() !== 200) throw new Error(`${href} answered ${res?.status()}`);
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: join(OUT, `${fileOf(href)}.png`), fullPage: true });
      console.log(`docs/console/${fileOf(href)}.png`);
    }
    await page.goto(`${base}/console/events?type=order.placed`);
    await page.locator('a[href^="/console/events/evt_"]').first().click();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(OUT, "event.png"), fullPage: true });
    console.log("docs/console/event.png");
    await page.goto(`${base}/console/orders`);
    await page.locator('a[href^="/console/orders/ord_"]').first().click();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(OUT, "order.png"), fullPage: true });
    console.log("docs/console/order.png");
    await page.locator('a[href^="/console/traces/"]').first().click();
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: join(OUT, "trace.png"), fullPage: true });
    console.log("docs/console/trace.png");
  } finally {
    await browser.close();
    await server.stop();
  }
}

await main();
