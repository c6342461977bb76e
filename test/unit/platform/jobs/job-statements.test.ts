import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../../src/platform/db/client";
import {
  addJobProgress,
  failJob,
  setJobTotal,
  startJob,
  succeedJob,
} from "../../../../src/platform/jobs/job-statements";
import { createTestJob, jobRow } from "../../../support/jobs";

const db = () => getDb(env.DB);

describe("job statements", () => {
  it("count progress, bump the version on every change and stamp the start once", async () => {
    const id = await createTestJob("usr_owner");
    await startJob(db(), id, 1_000).run();
    await startJob(db(), id, 2_000).run();
    await setJobTotal(db(), id, 5, 2_500).run();
    await db().batch([addJobProgress(db(), id, { processed: 3, failed: 1 }, 3_000)]);
    await addJobProgress(db(), id, { processed: 2, failed: 0 }, 4_000).run();
    expect(await jobRow(id)).toMatchObject({
      status: "running",
      startedAt: 1_000,
      total: 5,
      processed: 5,
      failed: 1,
      version: 6,
    });
  });

  it("never change a job that has ended: a late redelivery cannot reopen or recount it", async () => {
    const id = await createTestJob("usr_owner");
    await succeedJob(db(), id, { rows: 1 }, 1_000).run();
    await addJobProgress(db(), id, { processed: 9, failed: 9 }, 2_000).run();
    await startJob(db(), id, 2_000).run();
    await failJob(db(), id, { code: "late", message: "too late" }, 2_000).run();
    expect(await jobRow(id)).toMatchObject({
      status: "succeeded",
      processed: 0,
      failed: 0,
      result: { rows: 1 },
      error: null,
      finishedAt: 1_000,
      version: 2,
    });
  });
});
