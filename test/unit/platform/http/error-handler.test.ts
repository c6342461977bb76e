import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../../../src/platform/errors";
import { handleError } from "../../../../src/platform/http/error-handler";
import { accessLog, requestContext } from "../../../../src/platform/http/request-context";
import { createRouter } from "../../../../src/platform/http/router";
import { captureLogs } from "../../../support/logs";

/** A throwaway app with the production middleware and error handler, and routes that fail on purpose. */
function appThatFails() {
  const app = createRouter();
  app.onError(handleError);
  app.use(requestContext, accessLog);
  app.get("/boom", () => {
    throw new Error("connection string postgres://admin:hunter2@db/internal");
  });
  app.get("/typed", () => {
    throw new NotFoundError("widget", "w_1");
  });
  return app;
}

const get = (path: string) =>
  appThatFails().fetch(
    new Request(`https://crossdock.test${path}`, { headers: { "x-request-id": "req-500" } }),
    env,
    createExecutionContext(),
  );

describe("the one error handler", () => {
  it("answers an unknown error with a generic 500 problem that leaks nothing, and logs it with the request id", async () => {
    const lines = captureLogs();
    const res = await get("/boom");
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    // The request-context middleware stamps even an answer that onError built from a thrown error.
    expect(res.headers.get("x-request-id")).toBe("req-500");
    expect(res.headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const body = await res.text();
    expect(body).not.toContain("hunter2");
    expect(body).not.toContain("postgres");
    expect(JSON.parse(body)).toMatchObject({
      type: "/problems/internal-error",
      status: 500,
      instance: "req-500",
    });
    const logged = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "unhandled-error");
    expect(logged).toMatchObject({
      level: "error",
      requestId: "req-500",
      errorMessage: expect.stringContaining("hunter2"),
    });
  });

  it("answers a typed error with its own problem type and status", async () => {
    const res = await get("/typed");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      type: "/problems/not-found",
      detail: "No widget with id 'w_1'.",
      instance: "req-500",
    });
  });
});
