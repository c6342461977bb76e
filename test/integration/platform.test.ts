import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";

const call = (path: string, init?: RequestInit) =>
  exports.default.fetch(`https://crossdock.test${path}`, init);

describe("cross-cutting behaviour", () => {
  it("answers /health with D1 reachable", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", checks: { d1: "ok" } });
  });

  it("echoes a valid x-request-id and generates one otherwise", async () => {
    const mine = await call("/health", { headers: { "x-request-id": "req-abc_123" } });
    expect(mine.headers.get("x-request-id")).toBe("req-abc_123");
    const bad = await call("/health", { headers: { "x-request-id": "has spaces<script>" } });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("continues a W3C trace and starts one when none is sent", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const res = await call("/health", { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
    expect(res.headers.get("traceparent")).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    const fresh = await call("/health");
    expect(fresh.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it("answers unknown routes with a problem whose instance is the request id", async () => {
    const res = await call("/nope", { headers: { "x-request-id": "r1" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 404, type: "/problems/not-found", instance: "r1" });
  });

  it("serves the OpenAPI 3.1 document and the docs page", async () => {
    const doc = await call("/openapi.json");
    expect(doc.status).toBe(200);
    const json = (await doc.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(json.openapi).toBe("3.1.0");
    expect(json.paths).toHaveProperty("/health");
    const docs = await call("/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
  });

  it("sets secure headers", async () => {
    const res = await call("/health");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toBeTruthy();
  });
});

describe("CORS", () => {
  it("answers a browser preflight from CORS_ORIGINS and exposes the correlation headers", async () => {
    const res = await call("/v1/quotes", {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type, idempotency-key",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    const simple = await call("/health", { headers: { origin: "https://shop.example" } });
    expect(simple.headers.get("access-control-expose-headers")).toContain("x-request-id");
  });

  it("allows only the listed origins when CORS_ORIGINS is an allow-list", async () => {
    const app = createApp();
    const configured = { ...env, CORS_ORIGINS: "https://shop.example, https://admin.example" };
    const ask = (origin: string) =>
      app.fetch(
        new Request("https://crossdock.test/health", { headers: { origin } }),
        configured,
        createExecutionContext(),
      );
    expect((await ask("https://admin.example")).headers.get("access-control-allow-origin")).toBe(
      "https://admin.example",
    );
    expect((await ask("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    // A request from no browser origin gets no CORS headers, but caches are told the answer varies.
    const plain = await app.fetch(
      new Request("https://crossdock.test/health"),
      configured,
      createExecutionContext(),
    );
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();
    expect(plain.headers.get("vary")).toContain("Origin");
  });
});

/**
 * A body that declares far more than it sends and never ends, like a client that stalls: any read of
 * it would hang the request, so a 413 proves the limit came from the Content-Length header alone.
 */
function stalledBody(): { body: ReadableStream<Uint8Array>; pulls: () => number } {
  let pulls = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull() {
        pulls += 1;
        // Never enqueues or closes: the rest of the declared length never arrives.
        return new Promise<void>(() => {});
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulls: () => pulls };
}

describe("body limits from the declared Content-Length", () => {
  const SIXTY_MIB = String(60 * 1024 * 1024);

  it.each([
    ["a JSON route", "/v1/auth/signup", "application/json", Number(env.MAX_BODY_BYTES)],
    ["POST /v1/events", "/v1/events", "application/json", Number(env.ANALYTICS_MAX_BODY_BYTES)],
    ["the catalog import upload", "/v1/catalog/imports", "text/csv", Number(env.MAX_IMPORT_BYTES)],
  ])("answers %s 413 problem+json without reading the body", async (_, path, type, limit) => {
    const { body, pulls } = stalledBody();
    // Straight to the app, so the stream it gets is this one and every read of it is counted.
    const request = new Request(`https://crossdock.test${path}`, {
      method: "POST",
      headers: { "content-type": type, "content-length": SIXTY_MIB },
      body,
    });
    const res = await createApp().fetch(request, env, createExecutionContext());
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "/problems/payload-too-large", limitBytes: limit });
    expect(pulls()).toBe(0);
  });
});
