import { beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/platform/ids";
import { insertProduct } from "../../support/catalog";
import { type ConsoleAdmin, consoleAdmin } from "../../support/console-admin";
import { call } from "../../support/http";
import { createTestJob } from "../../support/jobs";
import { insertAttempt, insertOutboxEvent, insertRequestRecord, userRegisteredV1 } from "../../support/ops";
import { insertOrder } from "../../support/orders";
import { createTestUser } from "../../support/users";

let operator: ConsoleAdmin;
beforeAll(async () => {
  operator = await consoleAdmin();
});

const find = (q: string) => operator.get(`/console/find?q=${encodeURIComponent(q)}`);

/** Where a 303 sends the browser. */
async function landsOn(q: string): Promise<string | null> {
  const res = await find(q);
  expect(res.status).toBe(303);
  return res.headers.get("location");
}

describe("GET /console/find", () => {
  it("takes an order id to the order's page", async () => {
    const buyer = await createTestUser("buyer");
    const merchant = await createTestUser("merchant");
    const order = await insertOrder(buyer.id, [await insertProduct(merchant.id)]);
    expect(await landsOn(order.id)).toBe(`/console/orders/${order.id}`);
    // Pasted with spaces around it, as ids often are.
    expect(await landsOn(`  ${order.id}\n`)).toBe(`/console/orders/${order.id}`);
  });

  it("takes a job id to the job's page", async () => {
    const owner = await createTestUser("merchant");
    const jobId = await createTestJob(owner.id);
    expect(await landsOn(jobId)).toBe(`/console/jobs/${jobId}`);
  });

  it("takes an event id to its envelope, and its request id to the trace", async () => {
    const requestId = `req-find-${crypto.randomUUID()}`;
    await insertRequestRecord(requestId, Date.now());
    const event = userRegisteredV1({ correlationId: requestId });
    await insertOutboxEvent(event);
    expect(await landsOn(event.id)).toBe(`/console/events/${event.id}`);
    expect(await landsOn(requestId)).toBe(`/console/traces/${requestId}`);
  });

  it("takes a correlation id no request started (an alert's) to its trace, by its facts or its attempts", async () => {
    const alertId = newId("alr");
    await insertOutboxEvent(userRegisteredV1({ correlationId: alertId }));
    expect(await landsOn(alertId)).toBe(`/console/traces/${alertId}`);
    const onlyAttempts = newId("alr");
    await insertAttempt({ correlationId: onlyAttempts });
    expect(await landsOn(onlyAttempts)).toBe(`/console/traces/${onlyAttempts}`);
  });

  it("takes a buyer's email or id to their orders, a merchant's to the orders they sell", async () => {
    const buyer = await createTestUser("buyer");
    const merchant = await createTestUser("merchant");
    expect(await landsOn(buyer.email.toUpperCase())).toBe(`/console/orders?buyer=${buyer.id}`);
    expect(await landsOn(buyer.id)).toBe(`/console/orders?buyer=${buyer.id}`);
    expect(await landsOn(merchant.email)).toBe(`/console/orders?merchant=${merchant.id}`);
    expect(await landsOn(merchant.id)).toBe(`/console/orders?merchant=${merchant.id}`);
  });

  it("lists every match when an id names several things", async () => {
    const buyer = await createTestUser("buyer");
    const merchant = await createTestUser("merchant");
    const order = await insertOrder(buyer.id, [await insertProduct(merchant.id)]);
    // A saga started without its `order.placed` correlates its facts under the order's own id.
    await insertOutboxEvent(userRegisteredV1({ correlationId: order.id }));
    const res = await find(order.id);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("2 things match");
    expect(html).toContain(`href="/console/orders/${order.id}"`);
    expect(html).toContain(`href="/console/traces/${order.id}"`);
  });

  it("answers a 404 page naming what was searched when nothing matches", async () => {
    const res = await find("ord_nothing_like_it");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    const html = await res.text();
    expect(html).toContain("<h1>Find</h1>");
    expect(html).toContain("Nothing matches <code>ord_nothing_like_it</code>");
    expect(html).toContain('value="ord_nothing_like_it"');
    expect(await (await find("nobody@nowhere.example")).text()).toContain("Nothing matches");
  });

  it("answers a 400 page for a blank or over-long query", async () => {
    for (const q of ["", "   ", "x".repeat(321)]) {
      const res = await find(q);
      expect({ q: q.length, status: res.status }).toEqual({ q: q.length, status: 400 });
      expect(await res.text()).toContain('role="alert"');
    }
    const missing = await operator.get("/console/find");
    expect(missing.status).toBe(400);
  });

  it("sends someone not signed in to the sign-in form, and back after it", async () => {
    const res = await call("/console/find?q=ord_1", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/console/login?next=${encodeURIComponent("/console/find?q=ord_1")}`,
    );
  });
});
