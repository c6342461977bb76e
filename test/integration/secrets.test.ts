import { describe, expect, it } from "vitest";
import { missingSecrets } from "../../src/secrets";
import { manualClock } from "../support/clock";
import { callWith } from "../support/http";
import { captureLogs } from "../support/logs";

const health = (bindings: Partial<Env>) => callWith({ clock: manualClock().clock, bindings })("/health");

describe("secrets checked before any request is served (src/secrets.ts)", () => {
  it("answers 503 misconfigured naming the missing secret, never a value, and logs the names", async () => {
    const lines = captureLogs();
    const res = await health({
      EMAIL_PROVIDER: "http",
      EMAIL_API_KEY: "",
      PAYMENTS_PROVIDER: "http",
      PAYMENTS_API_KEY: "pk-secret-value",
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      type: "/problems/misconfigured",
      status: 503,
      missing: ["EMAIL_API_KEY"],
    });
    expect(text).not.toContain("pk-secret-value");
    expect(text).not.toContain("test-admin-password");
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "config.secrets_missing");
    expect(logged).toMatchObject({ level: "error", missing: ["EMAIL_API_KEY"] });
    expect(JSON.stringify(lines)).not.toContain("pk-secret-value");
  });

  it("needs the admin secrets where the providers are real, not with the sandbox and the mailbox", async () => {
    const real = {
      EMAIL_PROVIDER: "http",
      EMAIL_API_KEY: "k",
      PAYMENTS_PROVIDER: "http",
      PAYMENTS_API_KEY: "k",
    };
    const res = await health({ ...real, ADMIN_PASSWORD: " " });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ missing: ["ADMIN_PASSWORD"] });
    expect((await health({ ADMIN_PASSWORD: " ", ADMIN_EMAIL: "" })).status).toBe(200);
  });

  it("still serves the documents, so a client can read what misconfigured means", async () => {
    const call = callWith({
      clock: manualClock().clock,
      bindings: { ADMIN_EMAIL: "", EMAIL_PROVIDER: "http" },
    });
    expect((await call("/problems/misconfigured")).status).toBe(200);
    expect((await call("/openapi.json")).status).toBe(200);
    expect((await call("/v1/products")).status).toBe(503);
  });

  it.each([
    ["needs no provider key for the sandbox and the mailbox", "mailbox", "sandbox", ""],
    ["serves the HTTP providers once their keys are set", "http", "http", "a-key"],
  ])("%s", async (_, email, payments, key) => {
    const res = await health({
      EMAIL_PROVIDER: email,
      EMAIL_API_KEY: key,
      PAYMENTS_PROVIDER: payments,
      PAYMENTS_API_KEY: key,
    });
    expect(res.status).toBe(200);
  });

  it("lists every missing name, in the list's order", () => {
    expect(missingSecrets({ EMAIL_PROVIDER: "http", PAYMENTS_PROVIDER: "http" })).toEqual([
      "ADMIN_EMAIL",
      "ADMIN_PASSWORD",
      "EMAIL_API_KEY",
      "PAYMENTS_API_KEY",
    ]);
  });
});

describe("shard bindings checked like the secrets (src/platform/db/shards.ts)", () => {
  it("answers 503 misconfigured naming the missing shard binding when D1_SHARDS counts more than are bound", async () => {
    const lines = captureLogs();
    const res = await health({ D1_SHARDS: "9" } as Partial<Env>);
    expect(res.status).toBe(503);
    const body = await res.json<{ type: string; detail: string }>();
    expect(body.type).toBe("/problems/misconfigured");
    expect(body.detail).toMatch(/no D1 database is bound as DB_SHARD_\d/);
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "config.shards_misconfigured");
    expect(logged).toMatchObject({ level: "error" });
  });

  it("serves the documents all the same", async () => {
    const res = await callWith({ clock: manualClock().clock, bindings: { D1_SHARDS: "9" } as Partial<Env> })(
      "/openapi.json",
    );
    expect(res.status).toBe(200);
  });
});
