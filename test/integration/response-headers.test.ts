import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, postJson } from "../support/http";
import { createTestJob } from "../support/jobs";
import { insertReport } from "../support/reports";
import { aStartedOrder, settle } from "../support/saga-orders";
import { readSseEvents } from "../support/sse";
import { createTestUser } from "../support/users";

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

/** Every answer names its request and continues the caller's trace, whoever produced it. */
function expectStamped(res: Response, requestId: string, what: string) {
  expect(res.headers.get("x-request-id"), what).toBe(requestId);
  const traceparent = res.headers.get("traceparent");
  expect(traceparent, what).toMatch(TRACEPARENT);
  expect(traceparent?.split("-")[1], what).toBe(CALLER_TRACE);
}

let seq = 0;
/** Headers a client sends to be able to tell its own request and trace in the answer. */
function tracing(): { "x-request-id": string; traceparent: string } {
  seq += 1;
  return { "x-request-id": `hdr-${seq}`, traceparent: `00-${CALLER_TRACE}-00f067aa0ba902b7-01` };
}

async function callTraced(path: string, init: RequestInit = {}) {
  const headers = tracing();
  const res = await call(path, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...headers },
  });
  return { res, requestId: headers["x-request-id"] };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}

async function operations() {
  const doc = (await (await call("/openapi.json")).json()) as OpenApiDocument;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
}

describe("x-request-id and traceparent on every response", () => {
  it("are on every operation of the OpenAPI document, without credentials and with bad input", async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(30);
    const buyer = await createTestUser("buyer");
    const statuses = new Set<number>();
    for (const { method, path } of ops) {
      const hasBody = method !== "GET" && method !== "DELETE";
      const withParams = (value: string) => path.replace(/\{[^}]+\}/g, value);
      const attempts: { label: string; path: string; init: RequestInit }[] = [
        { label: "no auth", path: withParams("x"), init: { method } },
        {
          label: "bad input",
          path: `${withParams("not%20an%20id")}?limit=-1`,
          init: {
            method,
            headers: { ...buyer.auth, ...(hasBody ? { "content-type": "application/json" } : {}) },
            ...(hasBody ? { body: "{not json" } : {}),
          },
        },
      ];
      for (const attempt of attempts) {
        const { res, requestId } = await callTraced(attempt.path, attempt.init);
        statuses.add(res.status);
        expectStamped(res, requestId, `${method} ${path} (${attempt.label}) → ${res.status}`);
        await res.body?.cancel();
      }
    }
    // The sweep met successes and several kinds of error, not one status everywhere.
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect([...statuses].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(3);
  });

  it("are on the documents outside the OpenAPI document", async () => {
    for (const path of ["/openapi.json", "/asyncapi.json", "/docs"]) {
      const { res, requestId } = await callTraced(path);
      expect(res.status, path).toBe(200);
      expectStamped(res, requestId, path);
      await res.body?.cancel();
    }
  });

  it("are on a 404 for an unknown path", async () => {
    const { res, requestId } = await callTraced("/v1/no-such-thing");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expectStamped(res, requestId, "404");
  });

  it("are on a 413", async () => {
    const headers = tracing();
    const res = await postJson("/v1/auth/signup", { password: "x".repeat(70_000) }, headers);
    expect(res.status).toBe(413);
    expectStamped(res, headers["x-request-id"], "413");
  });

  it("are the retry's own on an idempotent replay", async () => {
    const merchant = await createTestUser("merchant");
    const key = crypto.randomUUID();
    const send = () => {
      const headers = { ...tracing(), ...merchant.auth, "idempotency-key": key };
      return postJson("/v1/api-keys", { name: "sync", scopes: ["catalog:write"] }, headers).then((res) => ({
        res,
        requestId: headers["x-request-id"],
      }));
    };
    const first = await send();
    const replay = await send();
    expect(replay.res.headers.get("idempotent-replayed")).toBe("true");
    expectStamped(first.res, first.requestId, "first answer");
    expectStamped(replay.res, replay.requestId, "replay");
    expect(replay.res.headers.get("traceparent")).not.toBe(first.res.headers.get("traceparent"));
  });

  it("are on a CSV download", async () => {
    const merchant = await createTestUser("merchant");
    const report = await insertReport(merchant.id, { status: "ready" });
    await env.FILES.put(report.objectKey, "day,orders\n2026-03-01,1\n");
    const { res, requestId } = await callTraced(`/v1/reports/${report.id}/download`, {
      headers: merchant.auth,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expectStamped(res, requestId, "CSV download");
    await res.body?.cancel();
  });

  it("are on the job stream", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id);
    await env.DB.prepare("UPDATE jobs SET status = 'succeeded', version = version + 1 WHERE id = ?")
      .bind(id)
      .run();
    const { res, requestId } = await callTraced(`/v1/jobs/${id}/stream`, { headers: merchant.auth });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expectStamped(res, requestId, "job stream");
    expect(await readSseEvents(res)).toHaveLength(1);
  });

  it("are on the order stream, which the order's Durable Object answers", async () => {
    const { buyer, order, saga } = await aStartedOrder();
    await settle(saga);
    const { res, requestId } = await callTraced(`/v1/orders/${order.id}/stream`, { headers: buyer.auth });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expectStamped(res, requestId, "order stream");
    expect((await readSseEvents(res)).at(-1)?.data).toMatchObject({ terminal: true });
  });
});
