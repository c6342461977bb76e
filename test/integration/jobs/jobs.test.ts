import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../src/platform/db/client";
import { SSE_RETRY_MS } from "../../../src/platform/http/event-stream";
import { addJobProgress, failJob, startJob, succeedJob } from "../../../src/platform/jobs/job-statements";
import { JOB_POLL_MS, KEEP_ALIVE_MS, MAX_STREAM_MS } from "../../../src/routes/jobs/job-stream";
import { createTestApiKey } from "../../support/api-keys";
import { manualClock } from "../../support/clock";
import { call, callWith } from "../../support/http";
import { createTestJob } from "../../support/jobs";
import { readSseEvents } from "../../support/sse";
import { createTestUser } from "../../support/users";

const db = () => getDb(env.DB);

describe("GET /v1/jobs/:id", () => {
  it("shows its owner the job's status and progress", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id, "catalog_import");
    await db().batch([
      startJob(db(), id, Date.now(), 10),
      addJobProgress(db(), id, { processed: 4, failed: 1 }, Date.now()),
    ]);

    const res = await call(`/v1/jobs/${id}`, { headers: merchant.auth });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id,
      type: "catalog_import",
      status: "running",
      progress: { processed: 4, total: 10, failed: 1 },
      result: null,
      error: null,
      streamUrl: `/v1/jobs/${id}/stream`,
    });
  });

  it("answers someone else's job and an unknown id alike: 404", async () => {
    const owner = await createTestUser("merchant");
    const other = await createTestUser("merchant");
    const id = await createTestJob(owner.id);
    for (const path of [`/v1/jobs/${id}`, "/v1/jobs/job_unknown"]) {
      const res = await call(path, { headers: other.auth });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await call(`/v1/jobs/${id}/stream`, { headers: other.auth })).status).toBe(404);
  });

  it("lets a key that can start long work follow it, and no other key", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id);
    const importer = await createTestApiKey(merchant.id, ["catalog:write"]);
    const reporter = await createTestApiKey(merchant.id, ["reports:read"]);
    const analytics = await createTestApiKey(merchant.id, ["events:write"]);
    expect((await call(`/v1/jobs/${id}`, { headers: importer.auth })).status).toBe(200);
    expect((await call(`/v1/jobs/${id}`, { headers: reporter.auth })).status).toBe(200);
    expect((await call(`/v1/jobs/${id}`, { headers: analytics.auth })).status).toBe(403);
    expect((await call(`/v1/jobs/${id}`)).status).toBe(401);
  });
});

describe("GET /v1/jobs/:id/stream", () => {
  it("sends the current state, then each change, and ends after the terminal one", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id);
    const time = manualClock();
    const res = await callWith({ clock: time.clock })(`/v1/jobs/${id}/stream`, { headers: merchant.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = readSseEvents(res);

    // The work moves on while the stream waits between polls; then one poll interval passes.
    const meanwhile = async (change: () => Promise<unknown>) => {
      await time.asleep();
      await change();
      time.advance(JOB_POLL_MS);
    };
    await meanwhile(() => startJob(db(), id, Date.now(), 2).run());
    // A poll that finds nothing new sends nothing.
    await meanwhile(() => Promise.resolve());
    await meanwhile(() => addJobProgress(db(), id, { processed: 2, failed: 0 }, Date.now()).run());
    await meanwhile(() => succeedJob(db(), id, { downloadUrl: "/v1/reports/x/download" }, Date.now()).run());

    const received = await events;
    expect(received.every((e) => e.event === "job")).toBe(true);
    expect(received.map((e) => Number(e.id))).toEqual([1, 2, 3, 4]);
    const states = received.map((e) => e.data as { status: string; progress: { processed: number } });
    expect(states.map((s) => [s.status, s.progress.processed])).toEqual([
      ["queued", 0],
      ["running", 0],
      ["running", 2],
      ["succeeded", 2],
    ]);
    expect(states.at(-1)).toMatchObject({ result: { downloadUrl: "/v1/reports/x/download" } });
  });

  it("sends a keep-alive comment after 15 s without news, and closes after 10 minutes", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id);
    const time = manualClock();
    const res = await callWith({ clock: time.clock })(`/v1/jobs/${id}/stream`, { headers: merchant.auth });
    const text = res.text();

    // Polls at 15 s less 1 ms (too early for a keep-alive), then half a second later (one is due).
    await time.asleep();
    time.advance(KEEP_ALIVE_MS - 1);
    await time.asleep();
    time.advance(JOB_POLL_MS);
    // The job never moves: the stream ends at its time limit, for the EventSource to reconnect.
    await time.asleep();
    time.advance(MAX_STREAM_MS);

    const blocks = (await text).split("\n\n").filter(Boolean);
    expect(blocks).toEqual([`retry: ${SSE_RETRY_MS}`, expect.stringContaining("event: job"), ": keep-alive"]);
  });

  it("gives a late client the final state at once, and 204 once it has seen it", async () => {
    const merchant = await createTestUser("merchant");
    const id = await createTestJob(merchant.id);
    await failJob(
      db(),
      id,
      { code: "unreadable-file", message: "The file is not valid CSV." },
      Date.now(),
    ).run();

    const late = await readSseEvents(await call(`/v1/jobs/${id}/stream`, { headers: merchant.auth }));
    expect(late).toHaveLength(1);
    expect(late[0]?.data).toMatchObject({ status: "failed", error: { code: "unreadable-file" } });

    const resumed = await call(`/v1/jobs/${id}/stream`, {
      headers: { ...merchant.auth, "last-event-id": String(late[0]?.id) },
    });
    // Already seen the end: 204 tells an EventSource to stop reconnecting.
    expect(resumed.status).toBe(204);
    expect(await resumed.text()).toBe("");
  });
});
