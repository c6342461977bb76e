import { describe, expect, it } from "vitest";
import { firedAtStart, nextRuns, startCronDriver } from "../../../scripts/local-crons";

describe("local cron schedule", () => {
  it("computes runs in UTC, as Cloudflare fires them", () => {
    const from = new Date("2024-03-05T12:00:30Z");
    expect(nextRuns("10 0 * * *", from, 2).map((d) => d.toISOString())).toEqual([
      "2024-03-06T00:10:00.000Z",
      "2024-03-07T00:10:00.000Z",
    ]);
    expect(nextRuns("* * * * *", from, 2).map((d) => d.toISOString())).toEqual([
      "2024-03-05T12:01:00.000Z",
      "2024-03-05T12:02:00.000Z",
    ]);
  });

  it("fires at start only the crons that run every minute", () => {
    expect(firedAtStart(["* * * * *", "10 0 * * *", "*/5 * * * *", "* 9 * * *"])).toEqual(["* * * * *"]);
  });
});

describe("local cron driver", () => {
  const quietLog = () => {
    const lines: { level: string; line: string }[] = [];
    return {
      lines,
      log: {
        debug: (line: string) => lines.push({ level: "debug", line }),
        warn: (line: string) => lines.push({ level: "warn", line }),
      },
    };
  };

  it("fires the every-minute cron once as soon as the server answers, and nothing else", async () => {
    const urls: string[] = [];
    let refusals = 2;
    const fakeFetch = (async (url: string) => {
      if (refusals-- > 0) throw new TypeError("fetch failed: ECONNREFUSED");
      urls.push(url);
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    const { lines, log } = quietLog();
    const driver = startCronDriver({
      crons: ["* * * * *", "10 0 * * *"],
      origin: "http://127.0.0.1:8797",
      log,
      fetch: fakeFetch,
      retryMs: 1,
    });
    try {
      await driver.started;
    } finally {
      driver.stop();
    }
    expect(urls).toEqual(["http://127.0.0.1:8797/__scheduled?cron=*%20*%20*%20*%20*"]);
    // Refusals while the server comes up are expected: not reported.
    expect(lines).toEqual([{ level: "debug", line: 'cron "* * * * *" fired' }]);
  });

  it("reports a cron the worker failed, whatever the log level", async () => {
    const { lines, log } = quietLog();
    const driver = startCronDriver({
      crons: ["10 0 * * *"],
      origin: "http://127.0.0.1:8797",
      log,
      fetch: (async () => new Response("boom", { status: 500 })) as unknown as typeof fetch,
    });
    try {
      expect(await driver.fire("10 0 * * *")).toBe(false);
    } finally {
      driver.stop();
    }
    expect(lines).toEqual([{ level: "warn", line: 'cron "10 0 * * *" failed: HTTP 500 from /__scheduled' }]);
  });

  it("reports an unreachable server once it has answered, not while it boots", async () => {
    let up = false;
    const fakeFetch = (async () => {
      if (!up) throw new TypeError("fetch failed");
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const { lines, log } = quietLog();
    const driver = startCronDriver({ crons: [], origin: "http://127.0.0.1:8797", log, fetch: fakeFetch });
    try {
      expect(await driver.fire("* * * * *")).toBe(false);
      up = true;
      expect(await driver.fire("* * * * *")).toBe(true);
      up = false;
      expect(await driver.fire("* * * * *")).toBe(false);
    } finally {
      driver.stop();
    }
    expect(lines.map((l) => l.level)).toEqual(["debug", "debug", "warn"]);
  });
});
