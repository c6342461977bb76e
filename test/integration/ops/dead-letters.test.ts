import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { call, postJson } from "../../support/http";
import { clearOpsTables, insertDeadLetter, userRegisteredV1 } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface DeadLetterView {
  discardedAt?: string | null;
  id: string;
  originQueue: string;
  consumer: string;
  eventId: string;
  eventType: string;
  envelope: unknown;
  status: string;
  redrivenAt: string | null;
  firstFailedAt: string;
}
interface Page {
  items: DeadLetterView[];
  nextCursor: string | null;
}

const statusOf = async (id: string) =>
  (await env.DB.prepare("SELECT status, redriven_at FROM dead_letters WHERE id = ?")
    .bind(id)
    .first<{ status: string; redriven_at: number | null }>()) ?? null;

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const list = async (query: string) => {
  const res = await call(`/ops/dead-letters${query}`, { headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe("GET /ops/dead-letters", () => {
  it("lists dead letters newest first with every field, the envelope parsed", async () => {
    const t = Date.now() - 60_000;
    const older = await insertDeadLetter({ firstFailedAt: t, lastFailedAt: t + 1000 });
    const newer = await insertDeadLetter({ firstFailedAt: t + 5000, lastFailedAt: t + 5000 });
    const page = await list("");
    expect(page.items.map((i) => i.id)).toEqual([newer.id, older.id]);
    expect(page.nextCursor).toBeNull();
    expect(page.items[1]).toEqual({
      id: older.id,
      originQueue: "crossdock-email",
      consumer: "email",
      eventId: older.eventId,
      eventType: "user.registered",
      envelope: JSON.parse(older.envelope),
      lastError: "provider said 500",
      attempts: 6,
      firstFailedAt: new Date(t).toISOString(),
      lastFailedAt: new Date(t + 1000).toISOString(),
      sizeBytes: older.sizeBytes,
      status: "dead",
      redrivenAt: null,
      discardedAt: null,
    });
  });

  it("returns an envelope that is not JSON as the raw text", async () => {
    const poison = await insertDeadLetter({ envelope: "not json {" });
    const res = await call(`/ops/dead-letters/${poison.id}`, { headers: admin.auth });
    expect(res.status).toBe(200);
    expect(((await res.json()) as DeadLetterView).envelope).toBe("not json {");
  });

  it("filters by queue, type, consumer and status", async () => {
    const email = await insertDeadLetter();
    const stats = await insertDeadLetter({ originQueue: "crossdock-user-stats", consumer: "user-stats" });
    const alert = await insertDeadLetter({ eventType: "ops.alert.raised" });
    const redriven = await insertDeadLetter({ status: "redriven", redrivenAt: Date.now() });

    const ids = (p: Page) => p.items.map((i) => i.id).sort();
    expect(ids(await list("?queue=crossdock-user-stats"))).toEqual([stats.id]);
    expect(ids(await list("?consumer=email"))).toEqual([email.id, alert.id].sort());
    expect(ids(await list("?type=ops.alert.raised"))).toEqual([alert.id]);
    expect(ids(await list("?type=user.registered&queue=crossdock-email"))).toEqual([email.id]);
    expect(ids(await list("?status=redriven"))).toEqual([redriven.id]);
    expect(ids(await list(""))).not.toContain(redriven.id);
  });

  it("walks every page with the cursor, each row once", async () => {
    const t = Date.now() - 100_000;
    const inserted = [];
    // Pairs share a timestamp so the id has to break the tie.
    for (let i = 0; i < 7; i++)
      inserted.push(await insertDeadLetter({ firstFailedAt: t + Math.floor(i / 2) }));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(
      [...inserted]
        .sort((a, b) => b.firstFailedAt - a.firstFailedAt || (b.id < a.id ? -1 : 1))
        .map((d) => d.id),
    );
  });

  it("rejects a malformed cursor, a cursor from other filters, unknown params and bad limits", async () => {
    for (let i = 0; i < 3; i++) await insertDeadLetter();
    const first = await list("?limit=1");
    const bad = async (query: string) => {
      const res = await call(`/ops/dead-letters${query}`, { headers: admin.auth });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      return (await res.json()) as { type: string; errors?: { field: string }[] };
    };
    expect((await bad("?cursor=%%%")).type).toBe("/problems/invalid-cursor");
    expect((await bad("?cursor=eyJ2Ijo5fQ")).type).toBe("/problems/invalid-cursor");
    expect((await bad(`?cursor=${first.nextCursor}&queue=crossdock-email`)).type).toBe(
      "/problems/invalid-cursor",
    );
    expect((await bad("?colour=blue")).errors?.[0]?.field).toBe("colour");
    expect((await bad("?limit=0")).errors?.[0]?.field).toBe("limit");
    expect((await bad("?limit=101")).errors?.[0]?.field).toBe("limit");
    expect((await bad("?status=gone")).errors?.[0]?.field).toBe("status");
  });
});

describe("GET /ops/dead-letters/:id", () => {
  it("answers 404 for an unknown id", async () => {
    const res = await call("/ops/dead-letters/dlq_nope", { headers: admin.auth });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: "/problems/not-found" });
  });
});

describe("POST /ops/dead-letters/:id/redrive", () => {
  const redrive = (id: string) =>
    call(`/ops/dead-letters/${id}/redrive`, { method: "POST", headers: admin.auth });

  it("sends it back and marks it redriven; a second redrive is a 409", async () => {
    const dl = await insertDeadLetter();
    const res = await redrive(dl.id);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ id: dl.id, status: "redriven" });
    const row = await statusOf(dl.id);
    expect(row?.status).toBe("redriven");
    expect(row?.redriven_at).toBeGreaterThan(0);

    const again = await redrive(dl.id);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ type: "/problems/already-redriven" });
  });

  it("answers 404 for an unknown id", async () => {
    expect((await redrive("dlq_nope")).status).toBe(404);
  });

  it("refuses what cannot be read as a current event with 422 and changes nothing", async () => {
    const cases = [
      await insertDeadLetter({ envelope: "not json {" }),
      await insertDeadLetter({ envelope: JSON.stringify({ hello: "world" }) }),
      await insertDeadLetter({
        envelope: {
          ...userRegisteredV1(),
          data: { userId: "usr_1", email: "not-an-email", displayName: "A" },
        },
      }),
      await insertDeadLetter({ consumer: "retired-consumer", originQueue: "crossdock-retired" }),
    ];
    for (const dl of cases) {
      const res = await redrive(dl.id);
      expect(res.status).toBe(422);
      const problem = (await res.json()) as { type: string; reason: string };
      expect(problem.type).toBe("/problems/not-redrivable");
      expect(problem.reason.length).toBeGreaterThan(0);
      expect((await statusOf(dl.id))?.status).toBe("dead");
    }
  });
});

describe("POST /ops/dead-letters/redrive (bulk)", () => {
  const bulk = async (body: unknown) => {
    const res = await postJson("/ops/dead-letters/redrive", body, admin.auth);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      redriven: number;
      failed: { id: string; reason: string }[];
      remaining: number;
      nextCursor: string | null;
    };
  };

  it("redrives what matches the filters and reports what it could not", async () => {
    const good = [await insertDeadLetter(), await insertDeadLetter()];
    const poison = await insertDeadLetter({ envelope: "garbage" });
    const other = await insertDeadLetter({ originQueue: "crossdock-user-stats", consumer: "user-stats" });

    const result = await bulk({ queue: "crossdock-email" });
    expect(result).toMatchObject({ redriven: 2, remaining: 0, nextCursor: null });
    expect(result.failed).toEqual([{ id: poison.id, reason: expect.stringContaining("not JSON") }]);
    for (const dl of good) expect((await statusOf(dl.id))?.status).toBe("redriven");
    expect((await statusOf(poison.id))?.status).toBe("dead");
    expect((await statusOf(other.id))?.status).toBe("dead");

    // An empty filter means every dead letter; the poison one fails again, the other goes.
    expect(await bulk({})).toMatchObject({ redriven: 1, failed: [{ id: poison.id }], remaining: 0 });
    expect((await statusOf(other.id))?.status).toBe("redriven");
  });

  it("caps a call at 100, oldest first, and a loop on nextCursor ends even past poison rows", async () => {
    const t = Date.now() - 1_000_000;
    const statements = [];
    for (let i = 0; i < 105; i++) {
      const poison = i < 3; // the oldest three can never be redriven
      const envelope = poison ? "garbage" : JSON.stringify(userRegisteredV1());
      statements.push(
        env.DB.prepare(
          `INSERT INTO dead_letters (id, origin_queue, consumer, event_id, event_type, envelope, last_error,
             attempts, first_failed_at, last_failed_at, size_bytes, status)
           VALUES (?, 'crossdock-email', 'email', ?, 'user.registered', ?, 'boom', 6, ?, ?, 10, 'dead')`,
        ).bind(`dlq_bulk_${String(i).padStart(3, "0")}`, `evt_bulk_${i}`, envelope, t + i, t + i),
      );
    }
    await env.DB.batch(statements);

    const first = await bulk({ type: "user.registered" });
    expect(first.redriven).toBe(97);
    expect(first.failed.map((f) => f.id)).toEqual(["dlq_bulk_000", "dlq_bulk_001", "dlq_bulk_002"]);
    expect(first.remaining).toBe(5);
    expect(first.nextCursor).not.toBeNull();

    const second = await bulk({ type: "user.registered", cursor: first.nextCursor });
    expect(second).toEqual({ redriven: 5, failed: [], remaining: 0, nextCursor: null });

    const wrongFilters = await postJson(
      "/ops/dead-letters/redrive",
      { type: "ops.alert.raised", cursor: first.nextCursor },
      admin.auth,
    );
    expect(wrongFilters.status).toBe(400);
  });

  it("redrives at most `limit` per call, so a caller can throttle a large redrive", async () => {
    const letters = [await insertDeadLetter(), await insertDeadLetter(), await insertDeadLetter()];
    const first = await bulk({ queue: "crossdock-email", limit: 2 });
    expect(first).toMatchObject({ redriven: 2, failed: [], remaining: 1 });
    const second = await bulk({ queue: "crossdock-email", limit: 2, cursor: first.nextCursor });
    expect(second).toEqual({ redriven: 1, failed: [], remaining: 0, nextCursor: null });
    for (const dl of letters) expect((await statusOf(dl.id))?.status).toBe("redriven");

    for (const limit of [0, 101, 1.5]) {
      const res = await postJson("/ops/dead-letters/redrive", { limit }, admin.auth);
      expect(res.status).toBe(400);
    }
  });

  it("validates its body strictly", async () => {
    const res = await postJson(
      "/ops/dead-letters/redrive",
      { queue: "crossdock-email", force: true },
      admin.auth,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("force");
  });
});

describe("DELETE /ops/dead-letters/:id", () => {
  it("discards it (204): the row stays as the record, no longer waiting; a second discard is 404", async () => {
    const dl = await insertDeadLetter();
    const del = () => call(`/ops/dead-letters/${dl.id}`, { method: "DELETE", headers: admin.auth });
    expect((await del()).status).toBe(204);
    expect(await statusOf(dl.id)).toMatchObject({ status: "discarded" });
    expect((await list("")).items.map((i) => i.id)).not.toContain(dl.id);
    const shown = (await (
      await call(`/ops/dead-letters/${dl.id}`, { headers: admin.auth })
    ).json()) as DeadLetterView;
    expect(shown.status).toBe("discarded");
    expect(shown.discardedAt).not.toBeNull();
    expect((await del()).status).toBe(404);
  });
});
