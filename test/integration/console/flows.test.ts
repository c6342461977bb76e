import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { SSE_RETRY_MS } from "../../../src/platform/http/event-stream";
import { HISTORY_MINUTES } from "../../../src/routes/console/overview/figures";
import { LIVE_FLOWS_PATH, LIVE_MAX_MS, LIVE_PERIOD_MS } from "../../../src/routes/console/overview/live";
import { formatTime } from "../../../src/routes/console/overview/live-fields";
import { manualClock } from "../../support/clock";
import { call, callWith } from "../../support/http";
import {
  clearOpsTables,
  insertAlert,
  insertAttempt,
  insertDeadLetter,
  insertDelivery,
} from "../../support/ops";
import { queueStandIn, withoutQueueMetrics } from "../../support/queues";
import { readSseEvents } from "../../support/sse";
import { createTestUser } from "../../support/users";

const ORIGIN = "https://crossdock.test";

/** Signs the admin in through the console's form; answers the session cookie to send back. */
async function signIn(): Promise<string> {
  const res = await call("/console/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams({ email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, next: "/console" }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  expect(cookie).toMatch(/^__Host-crossdock-console=cds_/);
  return cookie!;
}

const unescapeHtml = (s: string) =>
  s
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

/** The text the page shows in the element whose `data-field` is `key`. */
function field(html: string, key: string): string | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = html.match(new RegExp(`data-field="${escaped}"[^>]*>([^<]*)<`));
  return m ? unescapeHtml(m[1]!) : undefined;
}

/** The chart data the page carries for a consumer. */
function chartOf(html: string, consumer: string): Record<string, (number | null)[]> {
  const m = html.match(new RegExp(`data-consumer="${consumer}" data-history="([^"]*)"`));
  expect(m, `a chart for ${consumer}`).not.toBeNull();
  return JSON.parse(unescapeHtml(m![1]!));
}

let cookie: string;
beforeEach(async () => {
  await clearOpsTables();
  cookie = await signIn();
});

describe("GET /console: flows at a glance", () => {
  it("sends a visitor without a session to the sign-in form, page and stream alike", async () => {
    for (const path of ["/console", LIVE_FLOWS_PATH]) {
      const res = await call(path, { redirect: "manual" });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`/console/login?next=${encodeURIComponent(path)}`);
    }
  });

  it("refuses a signed-in account that is not the admin: 403", async () => {
    const buyer = await createTestUser("buyer");
    for (const path of ["/console", LIVE_FLOWS_PATH]) {
      const res = await call(path, { headers: { cookie: `__Host-crossdock-console=${buyer.token}` } });
      expect(res.status).toBe(403);
    }
  });

  it("shows each consumer's backlog, throughput, failures and dead letters, and the firing alert", async () => {
    const now = Date.now();
    // The analytics consumer: three deliveries waiting (two queued, one retrying), one in a handler's
    // hands and one dead-lettered (neither is backlog), three acks and a retry in the last minute, an
    // ack ten minutes ago and an injected failure (a fault's, never a failure).
    await insertDelivery("analytics", "queued", now - 125_000);
    await insertDelivery("analytics", "queued", now - 60_000);
    await insertDelivery("analytics", "retrying", now - 30_000);
    await insertDelivery("analytics", "in-progress", now - 600_000);
    await insertDelivery("analytics", "dead-lettered", now - 900_000);
    for (const ago of [1_000, 2_000, 3_000, 600_000]) {
      await insertAttempt({ consumer: "analytics", outcome: "acked", startedAt: now - ago });
    }
    await insertAttempt({ consumer: "analytics", outcome: "retried", startedAt: now - 4_000 });
    await insertAttempt({ consumer: "analytics", outcome: "injected", startedAt: now - 4_000 });
    // The email consumer: one message dead-lettered a minute and a half ago, and its alert firing.
    await insertAttempt({ consumer: "email", outcome: "dead-lettered", startedAt: now - 90_000 });
    await insertDeadLetter({ lastFailedAt: now - 90_000 });
    await insertAlert({
      rule: "dead-letters-count",
      metric: "dead_letters.count",
      value: 1,
      threshold: 0,
      state: "firing",
      raisedAt: now - 80_000,
      resolvedAt: null,
    });

    // The ledger's figures, as where the runtime gives no queue figures (the queue's own: below).
    const app = callWith({ clock: manualClock(now).clock, bindings: withoutQueueMetrics() });
    const res = await app("/console", { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Flows at a glance</h1>");
    expect(html).toContain(`data-live="${LIVE_FLOWS_PATH}"`);

    const analytics = Object.fromEntries(
      ["backlog", "oldest", "acked", "failures", "failuresTotal", "retriesTotal", "deadLetters"].map((k) => [
        k,
        field(html, `analytics.${k}`),
      ]),
    );
    expect(analytics).toEqual({
      backlog: "3",
      oldest: "2 min 5 s",
      acked: "3",
      failures: "1",
      failuresTotal: "1",
      retriesTotal: "1",
      deadLetters: "0",
    });
    expect(field(html, "email.deadLetters")).toBe("1");
    expect(field(html, "email.failuresTotal")).toBe("1");
    // Dead-lettered ninety seconds ago: out of the last minute, in the all-time count.
    expect(field(html, "email.failures")).toBe("0");
    expect(field(html, "email.backlog")).toBe("0");
    expect(field(html, "email.oldest")).toBe("—");
    expect(field(html, "total.backlog")).toBe("3");
    expect(field(html, "total.deadLetters")).toBe("1");
    expect(field(html, "alerts.firing")).toBe("1");

    expect(field(html, "alert.dead-letters-count.state")).toBe("firing");
    expect(field(html, "alert.dead-letters-count.since")).toBe(formatTime(now - 80_000));
    expect(field(html, "alert.dead-letters-count.value")).toBe("1");
    expect(field(html, "alert.deliveries-unacked.value")).toBe("3");
    expect(field(html, "alert.deliveries-unacked.state")).toBe("ok");
    expect(field(html, "analytics.backlogSource")).toBe("from Crossdock's tables");
    expect(field(html, "alert.deliveries-unacked.source")).toBe("from Crossdock's tables");

    // The chart starts with the minutes before: the ack of ten minutes ago is there, the backlog was not kept.
    const chart = chartOf(html, "analytics");
    expect(chart.at).toHaveLength(HISTORY_MINUTES + 1);
    expect(chart.at!.at(-1)).toBe(now);
    const past = (key: string) => chart[key]!.slice(0, -1);
    expect(past("acked").reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(1);
    expect(past("backlog").every((v) => v === null)).toBe(true);
    expect([chart.backlog!.at(-1), chart.acked!.at(-1), chart.failures!.at(-1)]).toEqual([3, 3, 1]);
  });

  it("marks a rule above its threshold before an evaluation raises its alert", async () => {
    const now = Date.now();
    for (let i = 0; i < 3; i++) await insertDelivery("email", "queued", now - 30_000);
    const app = callWith({
      clock: manualClock(now).clock,
      bindings: { ...withoutQueueMetrics(), ALERT_DELIVERY_MAX_COUNT: "2" },
    });
    const html = await (await app("/console", { headers: { cookie } })).text();
    expect(field(html, "alert.deliveries-unacked.state")).toBe("above threshold");
    expect(html).toMatch(/class="badge warn" data-field="alert\.deliveries-unacked\.state"/);
    expect(field(html, "alert.deliveries-unacked.since")).toBe("—");
    expect(field(html, "alerts.firing")).toBe("0");
  });
  it("shows the queue's own figures where its binding gives them, and says so", async () => {
    const now = Date.now();
    await insertDelivery("analytics", "queued", now - 125_000);
    const standIn = queueStandIn(env.ANALYTICS_QUEUE, async () => ({
      backlogCount: 40,
      backlogBytes: 40_000,
      oldestMessageTimestamp: new Date(now - 65_000),
    }));
    const app = callWith({ clock: manualClock(now).clock, bindings: { ANALYTICS_QUEUE: standIn } });
    const html = await (await app("/console", { headers: { cookie } })).text();
    expect(field(html, "analytics.backlog")).toBe("40");
    expect(field(html, "analytics.oldest")).toBe("1 min 5 s");
    expect(field(html, "analytics.backlogSource")).toBe("from the queue");
    expect(field(html, "alert.deliveries-unacked.source")).toBe("from the queue");
    expect(field(html, "alert.outbox-backlog.source")).toBe("from Crossdock's tables");
    expect(html).toContain("<code>metrics()</code>");
  });
});

describe("GET /console/live/flows", () => {
  it("sends the figures at once and every period, then ends so the page reconnects", async () => {
    const time = manualClock();
    const start = time.now();
    const app = callWith({ clock: time.clock, bindings: withoutQueueMetrics() });
    const res = await app(LIVE_FLOWS_PATH, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = res.text();

    // A backlog builds while the stream waits; the next read shows it.
    await time.asleep();
    await insertDelivery("analytics", "queued", start - 20_000);
    await insertDelivery("analytics", "retrying", start - 10_000);
    time.advance(LIVE_PERIOD_MS);
    // Then nothing happens until the stream's lifetime is up: one last read, and the stream ends.
    await time.asleep();
    time.advance(LIVE_MAX_MS);

    const body = await text;
    expect(body.startsWith(`retry: ${SSE_RETRY_MS}\n\n`)).toBe(true);
    const events = await readSseEvents(new Response(body));
    expect(events.map((e) => e.event)).toEqual(["figures", "figures", "figures"]);
    expect(events.map((e) => Number(e.id))).toEqual([
      start,
      start + LIVE_PERIOD_MS,
      start + LIVE_PERIOD_MS + LIVE_MAX_MS,
    ]);
    const figures = events.map((e) => e.data as Record<string, string | number>);
    expect(figures.map((f) => f["analytics.backlog"])).toEqual([0, 2, 2]);
    expect(figures.map((f) => f["total.backlog"])).toEqual([0, 2, 2]);
    expect(figures[1]).toMatchObject({ at: start + LIVE_PERIOD_MS, "analytics.oldest": "25 s" });
  });
});
