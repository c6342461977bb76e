import { describe, expect, it } from "vitest";
import { DOCS_CONFIGURATION } from "../../src/app";
import { call } from "../support/http";

interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
}
interface OpenApiDocument {
  info: { license?: { name: string }; contact?: { name: string } };
  tags?: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const doc = async () => (await (await call("/openapi.json")).json()) as OpenApiDocument;

const operations = (d: OpenApiDocument) =>
  Object.entries(d.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );

/** A path template with each parameter filled by a value no resource has. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "unknown_x");

describe("/openapi.json", () => {
  it("names every operation with a unique operationId", async () => {
    const ops = operations(await doc());
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("defines every tag it uses at the top level, Operations last", async () => {
    const d = await doc();
    const defined = (d.tags ?? []).map((t) => t.name);
    const used = new Set(operations(d).flatMap(({ op }) => op.tags ?? []));
    expect([...used].filter((tag) => !defined.includes(tag))).toEqual([]);
    expect(defined.at(-1)).toBe("Operations");
  });

  it("has a license and a contact", async () => {
    const { info } = await doc();
    expect(info.license?.name).toBeTruthy();
    expect(info.contact?.name).toBeTruthy();
  });

  it("documents the problems its plumbing can answer on every operation", async () => {
    for (const { method, path, op } of operations(await doc())) {
      const expected = ["400", "500"];
      if ((op.security ?? []).length > 0) expected.push("401", "403");
      if (method !== "GET") expected.push("413");
      if (op.requestBody?.content["application/json"]) expected.push("415");
      const missing = expected.filter((status) => !(status in op.responses));
      expect(missing, `${method} ${path}`).toEqual([]);
    }
  });

  // The document's word against the app's behaviour: `security: []` must mean no credentials needed.
  it("declares security on every operation: [] exactly where no token is needed", async () => {
    for (const { method, path, op } of operations(await doc())) {
      expect(op.security, `${method} ${path}`).toBeDefined();
      const res = await call(concrete(path), {
        method,
        ...(method !== "GET" && { headers: { "content-type": "application/json" }, body: "{}" }),
      });
      await res.body?.cancel();
      const isPublic = op.security?.length === 0;
      expect(res.status === 401, `${method} ${path} answered ${res.status}`).toBe(!isPublic);
    }
  });
});

describe("/docs", () => {
  it("configures the reference page to call nothing outside this Worker", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    const config = JSON.parse(
      /createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/.exec(html)?.[1] ?? "null",
    ) as Record<string, unknown>;
    expect(config).toMatchObject({
      url: "/openapi.json",
      withDefaultFonts: false,
      hideClientButton: true,
      showDeveloperTools: "never",
      agent: { disabled: true },
      telemetry: false,
    });
    expect(config).not.toHaveProperty("proxyUrl");
    expect(html).toContain(`<script src="${DOCS_CONFIGURATION.cdn}">`);
    expect(html).not.toMatch(/https?:\/\//);
  });
});
