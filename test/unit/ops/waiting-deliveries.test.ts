import { describe, expect, it } from "vitest";
import { consumerBacklog, totalBacklog, waitingDeliveries } from "../../../src/flows/ops/alert-rules";
import { formatAge } from "../../../src/routes/console/overview/live-fields";

describe("waitingDeliveries: what the delivery rules and the console's backlog count", () => {
  it("counts queued and retrying deliveries, and the first send of the oldest of them", () => {
    const rows = [
      { state: "queued", count: 2, oldestPublishedAt: 5_000 },
      { state: "retrying", count: 1, oldestPublishedAt: 3_000 },
      // A handler at work and a dead letter are other rules' concern, however old.
      { state: "in-progress", count: 4, oldestPublishedAt: 1_000 },
      { state: "dead-lettered", count: 7, oldestPublishedAt: 500 },
    ];
    expect(waitingDeliveries(rows)).toEqual({ count: 3, oldestPublishedAt: 3_000 });
  });

  it("is zero with no oldest when nothing waits, as the snapshot's zero rows say", () => {
    const rows = [
      { state: "queued", count: 0, oldestPublishedAt: null },
      { state: "retrying", count: 0, oldestPublishedAt: null },
    ];
    expect(waitingDeliveries(rows)).toEqual({ count: 0, oldestPublishedAt: null });
    expect(waitingDeliveries([])).toEqual({ count: 0, oldestPublishedAt: null });
  });
});

describe("consumerBacklog and totalBacklog: the queue's figures first, the ledger's otherwise", () => {
  const ledger = [{ state: "queued", count: 2, oldestPublishedAt: 5_000 }];
  it("takes the queue's figures over the ledger's when the queue gave them", () => {
    expect(consumerBacklog(ledger, { count: 9, bytes: 900, oldestAt: 4_000 })).toEqual({
      count: 9,
      oldestAt: 4_000,
      source: "queue",
    });
    expect(consumerBacklog(ledger, null)).toEqual({ count: 2, oldestAt: 5_000, source: "crossdock" });
  });

  it("sums the consumers, keeps the oldest, and says mixed when only some queues answered", () => {
    const fromQueue = { count: 9, oldestAt: null, source: "queue" } as const;
    const fromLedger = { count: 2, oldestAt: 5_000, source: "crossdock" } as const;
    expect(totalBacklog([fromQueue, fromLedger])).toEqual({
      count: 11,
      oldestPublishedAt: 5_000,
      source: "mixed",
    });
    expect(totalBacklog([fromQueue, fromQueue]).source).toBe("queue");
    expect(totalBacklog([fromLedger]).source).toBe("crossdock");
  });
});

describe("formatAge", () => {
  const now = 1_764_950_400_000;
  it.each([
    [null, "—"],
    [now, "0 s"],
    [now - 59_999, "59 s"],
    [now - 60_000, "1 min 0 s"],
    [now - 3_599_000, "59 min 59 s"],
    [now - 3_600_000, "1 h 0 min"],
    [now - 86_399_000, "23 h 59 min"],
    [now - 90_000_000, "1 d 1 h"],
    // A clock a little behind the row's writer is not a negative age.
    [now + 5_000, "0 s"],
  ])("ages %s as %s", (since, text) => {
    expect(formatAge(since, now)).toBe(text);
  });
});
