import { describe, expect, it } from "vitest";
import { call } from "../support/http";

describe("a known path asked with a method it does not answer", () => {
  it.each([
    ["DELETE", "/v1/products", "GET, HEAD, POST, OPTIONS"],
    ["PUT", "/v1/orders/ord_anything", "GET, HEAD, OPTIONS"],
    ["GET", "/v1/orders/ord_anything/cancel", "POST, OPTIONS"],
    ["PATCH", "/ops/dead-letters/dlq_anything", "GET, HEAD, DELETE, OPTIONS"],
    ["GET", "/ops/settlements/run", "POST, OPTIONS"],
    ["POST", "/health", "GET, HEAD, OPTIONS"],
  ])("%s %s is 405 method-not-allowed with Allow: %s", async (method, path, allow) => {
    const res = await call(path, { method, headers: { "x-request-id": "r405" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({
      type: "/problems/method-not-allowed",
      status: 405,
      instance: "r405",
    });
  });

  it("answers HEAD on a path without GET with the 405 and its Allow, and HEAD on a GET path like GET", async () => {
    const post = await call("/v1/auth/login", { method: "HEAD" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("POST, OPTIONS");
    const health = await call("/health", { method: "HEAD" });
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("");
  });

  it("answers a plain OPTIONS on a known path with 204 and Allow, and leaves CORS preflights to CORS", async () => {
    const plain = await call("/v1/quotes", { method: "OPTIONS" });
    expect(plain.status).toBe(204);
    expect(plain.headers.get("allow")).toBe("POST, OPTIONS");
    const preflight = await call("/v1/quotes", {
      method: "OPTIONS",
      headers: { origin: "https://shop.example", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("still answers an unknown path 404 not-found, whatever the method", async () => {
    for (const method of ["GET", "POST", "OPTIONS"]) {
      const res = await call("/v1/nothing-here", { method });
      expect(res.status).toBe(404);
      expect(res.headers.get("allow")).toBeNull();
      expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
    }
  });
});
