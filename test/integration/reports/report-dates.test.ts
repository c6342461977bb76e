import { beforeAll, describe, expect, it } from "vitest";
import { call, postJson } from "../../support/http";
import { createTestUser, type TestUser } from "../../support/users";

interface Branch {
  type: string;
  format?: string;
  pattern: string;
}

/** The `from` schema of POST /v1/reports as /openapi.json publishes it. */
async function publishedFrom(): Promise<{ anyOf: Branch[] }> {
  const doc = (await (await call("/openapi.json")).json()) as {
    components: { schemas: { CreateReportRequest: { properties: { from: { anyOf: Branch[] } } } } };
  };
  return doc.components.schemas.CreateReportRequest.properties.from;
}

// Well-formed calendar values either way, so the patterns alone decide what the schema admits.
const ACCEPTED = [
  ["2026-03-01", "2026-03-01"],
  ["2026-03-01T10:00:00Z", "2026-03-01"],
  ["2026-03-01T01:00:00.250+02:00", "2026-02-28"],
  ["2026-03-01T23:30-05:00", "2026-03-02"],
] as const;
const REJECTED = [
  "2026-03-01T10:00:00",
  "2026-03-01 10:00:00Z",
  "20260301",
  "2026-03-01t10:00:00z",
  "March 1",
];

describe("POST /v1/reports from/to: the published schema and the server agree", () => {
  let merchant: TestUser;
  beforeAll(async () => {
    merchant = await createTestUser("merchant");
  });

  it("publishes a calendar day, an RFC 3339 date-time and a date-time without seconds", async () => {
    const from = await publishedFrom();
    expect(from.anyOf.map((b) => [b.type, b.format])).toEqual([
      ["string", "date"],
      ["string", "date-time"],
      ["string", undefined],
    ]);
  });

  it("admits in the schema exactly the values the server accepts, read as their UTC day", async () => {
    const admits = (value: string, branches: Branch[]) =>
      branches.some((b) => new RegExp(b.pattern).test(value));
    const { anyOf } = await publishedFrom();
    for (const [value, day] of ACCEPTED) {
      expect({ value, admitted: admits(value, anyOf) }).toEqual({ value, admitted: true });
      const res = await postJson(
        "/v1/reports",
        { type: "sales", from: value, to: "2026-03-31" },
        merchant.auth,
      );
      expect({ value, status: res.status }).toEqual({ value, status: 202 });
      const job = await res.json<{ id: string }>();
      const report = await (await call(`/v1/reports/${job.id}`, { headers: merchant.auth })).json();
      expect(report).toMatchObject({ from: day });
    }
    for (const value of REJECTED) {
      expect({ value, admitted: admits(value, anyOf) }).toEqual({ value, admitted: false });
      const res = await postJson(
        "/v1/reports",
        { type: "sales", from: "2026-03-01", to: value },
        merchant.auth,
      );
      expect({ value, status: res.status }).toEqual({ value, status: 400 });
      expect(await res.json()).toMatchObject({ errors: [{ field: "to", in: "body" }] });
    }
  });

  it("rejects a date-time that matches the shape but names no instant (format date-time refuses it too)", async () => {
    const res = await postJson(
      "/v1/reports",
      { type: "sales", from: "2026-13-45T00:00:00Z", to: "2026-03-31" },
      merchant.auth,
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ field: "from", in: "body" }] });
  });
});
