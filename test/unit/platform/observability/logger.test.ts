import { describe, expect, it } from "vitest";
import { createLogger, type LogLevel } from "../../../../src/platform/observability/logger";

function capture() {
  const lines: { line: string; level: LogLevel }[] = [];
  return { lines, sink: (line: string, level: LogLevel) => lines.push({ line, level }) };
}

describe("createLogger", () => {
  it("writes one JSON line: level, msg, time, then the context's fields, then the call's", () => {
    const { lines, sink } = capture();
    createLogger({ requestId: "r1", traceId: "t1" }, sink).info("request", {
      status: 200,
      userId: undefined,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe("info");
    const parsed = JSON.parse(lines[0]!.line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(["level", "msg", "time", "requestId", "traceId", "status"]);
    expect(parsed).toMatchObject({ level: "info", msg: "request", requestId: "r1", status: 200 });
    expect(typeof parsed.time).toBe("number");
  });

  it("lets a call's field override the context's in place, as an object spread does", () => {
    const { lines, sink } = capture();
    createLogger({ a: 1, b: 2 }, sink).warn("m", { a: 3 });
    expect(lines[0]?.line).toMatch(/^\{"level":"warn","msg":"m","time":\d+,"a":3,"b":2\}$/);
  });

  it("redacts secrets in a call's fields and a child's context, without touching the caller's object", () => {
    const { lines, sink } = capture();
    const fields = { token: "cds_secret", email: "a@b.c" };
    const child = createLogger({}, sink).child({ apiKey: "cdk_secret", flow: "x" });
    child.error("failed", fields);
    const line = lines[0]!.line;
    expect(line).not.toContain("secret");
    expect(JSON.parse(line)).toMatchObject({
      apiKey: "[redacted]",
      flow: "x",
      token: "[redacted]",
      email: "a@b.c",
    });
    expect(fields.token).toBe("cds_secret");
  });

  it("writes every level through the sink, with the level beside the line", () => {
    const { lines, sink } = capture();
    const log = createLogger({}, sink);
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    expect(lines.map((l) => l.level)).toEqual(["debug", "info", "warn", "error"]);
  });
});
