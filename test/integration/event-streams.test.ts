import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/platform/db/client";
import { SSE_RETRY_MS } from "../../src/platform/http/event-stream";
import { failJob, startJob } from "../../src/platform/jobs/job-statements";
import { call } from "../support/http";
import { createTestJob, jobRow } from "../support/jobs";
import { aStartedOrder, settle } from "../support/saga-orders";
import { readSseBlocks, readSseEvents } from "../support/sse";
import { createTestUser, type TestUser } from "../support/users";

const db = () => getDb(env.DB);
const open = (path: string, user: TestUser, lastEventId?: string) =>
  call(path, {
    headers: { ...user.auth, ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }) },
  });

/** A buyer's order whose saga has run to its end (confirmed), at some version above 1. */
async function aFinishedOrder() {
  const { buyer, order, saga } = await aStartedOrder();
  const state = await settle(saga);
  return { buyer, path: `/v1/orders/${order.id}/stream`, version: state.version };
}

/** A merchant's job that has run and failed: versions 1 (queued), 2 (running), 3 (failed). */
async function aFinishedJob() {
  const merchant = await createTestUser("merchant");
  const id = await createTestJob(merchant.id);
  await startJob(db(), id, Date.now(), 1).run();
  await failJob(db(), id, { code: "unreadable-file", message: "Not CSV." }, Date.now()).run();
  const row = await jobRow(id);
  return { owner: merchant, path: `/v1/jobs/${id}/stream`, version: row?.version ?? 0 };
}

describe.each([
  {
    name: "order",
    event: "status",
    finished: async () => {
      const o = await aFinishedOrder();
      return { user: o.buyer, path: o.path, version: o.version };
    },
  },
  {
    name: "job",
    event: "job",
    finished: async () => {
      const j = await aFinishedJob();
      return { user: j.owner, path: j.path, version: j.version };
    },
  },
])("the $name stream after its end", ({ event, finished }) => {
  it("sends retry: first, then the terminal state once, then closes, to a first connection", async () => {
    const { user, path, version } = await finished();
    const res = await open(path, user);
    expect(res.status).toBe(200);
    const blocks = await readSseBlocks(res);
    expect(blocks[0]).toEqual([`retry: ${SSE_RETRY_MS}`]);
    const events = blocks.slice(1);
    expect(events).toHaveLength(1);
    expect(events[0]).toContain(`event: ${event}`);
    expect(events[0]).toContain(`id: ${version}`);
  });

  it("answers 204 to a reconnection whose Last-Event-ID is the terminal version (or later)", async () => {
    const { user, path, version } = await finished();
    for (const seen of [version, version + 5]) {
      const res = await open(path, user, String(seen));
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
    }
  });

  it("sends only what is after Last-Event-ID", async () => {
    const { user, path, version } = await finished();
    const events = await readSseEvents(await open(path, user, String(version - 1)));
    expect(events.map((e) => Number(e.id))).toEqual([version]);
  });

  it("treats an unreadable Last-Event-ID as nothing seen", async () => {
    const { user, path, version } = await finished();
    const events = await readSseEvents(await open(path, user, "not-a-version"));
    expect(events.map((e) => Number(e.id))).toEqual([version]);
  });
});

describe("the order stream while the order moves", () => {
  it("hears no version at or before Last-Event-ID, and ends at the terminal one", async () => {
    const { buyer, order, saga } = await aStartedOrder();
    // The saga starts at version 1 (pending); a client that saw it hears only what comes after.
    const res = await open(`/v1/orders/${order.id}/stream`, buyer, "1");
    expect(res.status).toBe(200);
    const [events] = await Promise.all([readSseEvents(res), settle(saga)]);
    const versions = events.map((e) => Number(e.id));
    expect(versions.length).toBeGreaterThan(0);
    expect(Math.min(...versions)).toBeGreaterThan(1);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(events.at(-1)?.data).toMatchObject({ terminal: true });
  });
});
