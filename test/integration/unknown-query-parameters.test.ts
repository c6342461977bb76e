import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../src/flows/accounts/schema";
import { call } from "../support/http";
import { createTestUser } from "../support/users";

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

const ROLES: Role[] = ["admin", "merchant", "buyer"];

/** Every GET operation of the published document, with path parameters filled in. */
async function getOperations(): Promise<{ template: string; path: string; secured: boolean }[]> {
  const doc = (await (await call("/openapi.json")).json()) as OpenApiDocument;
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    ops.get === undefined
      ? []
      : [
          {
            template,
            path: template.replaceAll(/\{[^}]+\}/g, "x_1"),
            secured: (ops.get.security ?? []).length > 0,
          },
        ],
  );
}

describe("an undeclared query parameter", () => {
  const auth = new Map<Role, { authorization: string }>();
  beforeAll(async () => {
    for (const role of ROLES) auth.set(role, (await createTestUser(role)).auth);
  });

  it("is a 400 validation-error naming it on every GET route of /openapi.json", async () => {
    const operations = await getOperations();
    expect(operations.length).toBeGreaterThan(15);
    for (const op of operations) {
      // Authentication and roles come first: ask as each role until one is let in.
      let res = await call(`${op.path}?bogus=1`);
      for (const role of op.secured ? ROLES : []) {
        res = await call(`${op.path}?bogus=1`, { headers: auth.get(role) });
        if (res.status !== 401 && res.status !== 403) break;
      }
      expect({ route: op.template, status: res.status }).toEqual({ route: op.template, status: 400 });
      expect(await res.json()).toMatchObject({
        type: "/problems/validation-error",
        errors: [{ field: "bogus", in: "query", message: "unknown field" }],
      });
    }
  });

  it("is named beside a declared one, and a declared one alone is accepted", async () => {
    const bad = await call("/v1/products?limit=5&sort_by=price");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: "sort_by", in: "query" }] });
    expect((await call("/v1/products?limit=5")).status).toBe(200);
    expect((await call("/health")).status).toBe(200);
  });

  it("is a 400 on the documents and their reference page too, which are not operations", async () => {
    for (const path of ["/openapi.json", "/asyncapi.json", "/docs"]) {
      expect((await call(path)).status).toBe(200);
      const res = await call(`${path}?bogus=1`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(await res.json()).toMatchObject({
        type: "/problems/validation-error",
        errors: [{ field: "bogus", in: "query", message: "unknown field" }],
      });
    }
  });
});
