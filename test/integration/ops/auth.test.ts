import { describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { createTestUser } from "../../support/users";

const ROUTES: [method: string, path: string][] = [
  ["GET", "/ops/dead-letters"],
  ["GET", "/ops/dead-letters/dlq_x"],
  ["POST", "/ops/dead-letters/dlq_x/redrive"],
  ["POST", "/ops/dead-letters/redrive"],
  ["DELETE", "/ops/dead-letters/dlq_x"],
  ["GET", "/ops/alerts"],
  ["POST", "/ops/alerts/evaluate"],
  ["GET", "/ops/metrics"],
  ["GET", "/ops/traces/req-x"],
  ["GET", "/ops/events/evt_x"],
  ["GET", "/ops/mailbox"],
  ["POST", "/ops/gamedays"],
  ["GET", "/ops/gamedays"],
  ["GET", "/ops/gamedays/gd-x"],
];

const request = (method: string, path: string, headers: Record<string, string> = {}) =>
  call(path, {
    method,
    headers: { ...headers, ...(method === "POST" && { "content-type": "application/json" }) },
    ...(method === "POST" && { body: "{}" }),
  });

describe("/ops is for admins only", () => {
  it.each(ROUTES)("%s %s: 401 without a token, 403 for buyers and merchants", async (method, path) => {
    const none = await request(method, path);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    for (const role of ["buyer", "merchant"] as const) {
      const user = await createTestUser(role);
      const res = await request(method, path, user.auth);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ type: "/problems/forbidden" });
    }
  });

  it("is documented under Operations with bearer auth", async () => {
    const doc = (await (await call("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { tags: string[]; security: unknown[] }>>;
    };
    for (const [method, path] of ROUTES) {
      const template = path
        .replace("dlq_x", "{id}")
        .replace("req-x", "{correlationId}")
        .replace("evt_x", "{id}")
        .replace("gd-x", "{id}");
      const op = doc.paths[template]?.[method.toLowerCase()];
      expect(op, `${method} ${template}`).toBeDefined();
      expect(op?.tags).toEqual(["Operations"]);
      expect(op?.security).toEqual([{ bearerAuth: [] }]);
    }
  });
});
