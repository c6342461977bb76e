import { describe, expect, it } from "vitest";
import { buildAsyncApiDocument } from "../../src/platform/events/asyncapi";
import { call } from "../support/http";

// The document's validity against the AsyncAPI spec is checked in test/contract (Node); this checks
// that the worker serves it, generating it inside workerd.
describe("GET /asyncapi.json", () => {
  it("serves the AsyncAPI document generated from the catalog, publicly, as JSON", async () => {
    const res = await call("/asyncapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual(buildAsyncApiDocument());
  });

  it("points to it from the OpenAPI document without listing it as an operation", async () => {
    const openapi = (await (await call("/openapi.json")).json()) as {
      info: { description: string };
      paths: Record<string, unknown>;
    };
    expect(openapi.info.description).toContain("/asyncapi.json");
    expect(openapi.paths).not.toHaveProperty("/asyncapi.json");
  });
});
