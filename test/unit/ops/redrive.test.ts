import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type Producers, prepareRedrive, sendRedrives } from "../../../src/flows/ops/redrive";
import { getDb } from "../../../src/platform/db/client";
import { insertDeadLetter, userRegisteredV1 } from "../../support/ops";

/** A Queue that records what it is asked to send, or refuses everything. */
function recordingQueue(refuse = false) {
  const sent: { body: unknown; contentType?: string }[] = [];
  const queue = {
    async send(body: unknown, options?: QueueSendOptions) {
      if (refuse) throw new Error("queue is down");
      sent.push({ body, ...(options?.contentType && { contentType: options.contentType }) });
    },
    async sendBatch(messages: Iterable<MessageSendRequest>) {
      if (refuse) throw new Error("queue is down");
      for (const m of messages)
        sent.push({ body: m.body, ...(m.contentType && { contentType: m.contentType }) });
    },
  };
  return { sent, queue: queue as unknown as Queue };
}

function producers(o: { refuseEmail?: boolean } = {}) {
  const email = recordingQueue(o.refuseEmail);
  const stats = recordingQueue();
  const all: Producers = {
    EMAIL_QUEUE: email.queue,
    USER_STATS_QUEUE: stats.queue,
    ORDER_SAGA_QUEUE: recordingQueue().queue,
    ORDER_PROJECTION_QUEUE: recordingQueue().queue,
    MERCHANT_ORDERS_QUEUE: recordingQueue().queue,
    SETTLEMENT_ENTRIES_QUEUE: recordingQueue().queue,
    SETTLEMENTS_QUEUE: recordingQueue().queue,
    ANALYTICS_QUEUE: recordingQueue().queue,
    SALES_LINES_QUEUE: recordingQueue().queue,
    REPORTS_QUEUE: recordingQueue().queue,
    CATALOG_IMPORTS_QUEUE: recordingQueue().queue,
    CATALOG_IMPORT_CHUNKS_QUEUE: recordingQueue().queue,
  };
  return { all, email: email.sent, stats: stats.sent };
}

const ready = (p: ReturnType<typeof prepareRedrive>) => {
  if (!p.ok) throw new Error(p.reason);
  return p;
};

const status = (id: string) =>
  env.DB.prepare("SELECT status FROM dead_letters WHERE id = ?").bind(id).first<string>("status");

describe("redrive", () => {
  it("sends a v1 envelope upcast to v2, as JSON, to the origin consumer's queue only", async () => {
    const v1 = userRegisteredV1();
    const dl = await insertDeadLetter({ envelope: v1 });
    const q = producers();

    const result = await sendRedrives(getDb(env.DB), q.all, [ready(prepareRedrive(dl))], 1_000);

    expect(result).toEqual({ redriven: [dl.id], failed: [] });
    expect(q.stats).toEqual([]);
    expect(q.email).toEqual([
      {
        contentType: "json",
        body: {
          ...v1,
          dataschema: "urn:crossdock:event:user.registered:v2",
          data: { userId: v1.data.userId, email: v1.data.email, name: "Ada", role: "buyer" },
        },
      },
    ]);
    expect(await status(dl.id)).toBe("redriven");
  });

  it("follows the consumer, not another subscriber of the type", async () => {
    const dl = await insertDeadLetter({ consumer: "user-stats", originQueue: "crossdock-user-stats" });
    const q = producers();
    await sendRedrives(getDb(env.DB), q.all, [ready(prepareRedrive(dl))], 1_000);
    expect(q.email).toEqual([]);
    expect(q.stats).toHaveLength(1);
  });

  it("leaves the rows dead when their queue refuses the batch, and says why", async () => {
    const dl = await insertDeadLetter();
    const q = producers({ refuseEmail: true });
    const result = await sendRedrives(getDb(env.DB), q.all, [ready(prepareRedrive(dl))], 1_000);
    expect(result.redriven).toEqual([]);
    expect(result.failed).toEqual([{ id: dl.id, reason: expect.stringContaining("queue is down") }]);
    expect(await status(dl.id)).toBe("dead");
  });

  it("explains what cannot be redriven", () => {
    const row = { id: "dlq_x", consumer: "email", originQueue: "crossdock-email" };
    const reason = (envelope: string, r: Partial<typeof row> = {}) => {
      const p = prepareRedrive({ ...row, ...r, envelope });
      return p.ok ? null : p.reason;
    };
    const good = JSON.stringify(userRegisteredV1());
    expect(reason("{")).toBe("The stored message is not JSON.");
    expect(reason('"just a string"')).toBe("message is not an object");
    expect(reason(JSON.stringify({ ...userRegisteredV1(), type: "user.deleted" }))).toContain(
      "unknown event type",
    );
    expect(reason(good, { consumer: "gone", originQueue: "crossdock-gone" })).toContain(
      "No consumer named 'gone'",
    );
    // A row whose consumer name is unknown but whose queue is a consumer's goes back to that queue.
    expect(reason(good, { consumer: "renamed" })).toBeNull();
    const alert = JSON.stringify({
      ...userRegisteredV1(),
      type: "ops.alert.raised",
      dataschema: "urn:crossdock:event:ops.alert.raised:v1",
      data: { alertId: "a", rule: "r", metric: "m", value: 1, threshold: 0, message: "x" },
    });
    expect(reason(alert, { consumer: "user-stats" })).toContain("no longer subscribes");
  });
});
