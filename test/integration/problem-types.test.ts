import { describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "../../src/platform/problem-types";
import { call } from "../support/http";

const SLUGS = Object.keys(PROBLEM_TYPES);
const json = { accept: "application/json" };

describe("problem type URIs resolve", () => {
  it("lists every registered type at /problems, as JSON when asked and HTML by default", async () => {
    const list = await call("/problems", { headers: json });
    expect(list.status).toBe(200);
    const { items } = await list.json<{ items: { slug: string; type: string }[] }>();
    expect(items.map((i) => i.slug)).toEqual(SLUGS);
    const page = await call("/problems");
    expect(page.headers.get("content-type")).toContain("text/html");
    const text = await page.text();
    for (const slug of SLUGS) expect(text).toContain(`href="/problems/${slug}"`);
  });

  it("serves a page for every slug the code can emit (the error classes only take registered slugs)", async () => {
    expect(SLUGS).toEqual(
      expect.arrayContaining(["validation-error", "method-not-allowed", "internal-error"]),
    );
    for (const slug of SLUGS) {
      const res = await call(`/problems/${slug}`, { headers: json });
      expect({ slug, status: res.status }).toEqual({ slug, status: 200 });
      const body = await res.json<Record<string, unknown>>();
      expect(body).toMatchObject({
        type: `/problems/${slug}`,
        slug,
        status: PROBLEM_TYPES[slug as keyof typeof PROBLEM_TYPES].status,
      });
      expect(body.meaning).toEqual(expect.any(String));
      expect(body.todo).toEqual(expect.any(String));
    }
    const html = await call("/problems/validation-error", {
      headers: { accept: "text/html,application/json;q=0.9" },
    });
    expect(html.headers.get("content-type")).toContain("text/html");
    const text = await html.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toContain("<h1><code>validation-error</code></h1>");
  });

  it("answers the type a problem carries: the 404 of an unknown route links a page that exists", async () => {
    const problem = await (await call("/v1/nope")).json<{ type: string }>();
    expect((await call(problem.type, { headers: json })).status).toBe(200);
  });

  it("answers an unknown slug with a 404 not-found problem", async () => {
    const res = await call("/problems/no-such-problem", { headers: json });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });
});
