import { beforeEach, describe, expect, it } from "vitest";
import { call } from "../../support/http";
import { clearOpsTables, insertMail } from "../../support/ops";
import { createTestUser, type TestUser } from "../../support/users";

interface Page {
  items: { id: string; to: string; sentAt: string }[];
  nextCursor: string | null;
}

let admin: TestUser;
beforeEach(async () => {
  await clearOpsTables();
  admin = await createTestUser("admin");
});

const list = async (query = "") => {
  const res = await call(`/ops/mailbox${query}`, { headers: admin.auth });
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

describe("GET /ops/mailbox", () => {
  it("lists messages newest first with every field", async () => {
    const t = Date.now() - 10_000;
    const first = await insertMail({ sentAt: t });
    const second = await insertMail({ sentAt: t + 1, to: "bob@example.com", template: "ops-alert" });
    const page = await list();
    expect(page.items.map((m) => m.id)).toEqual([second.id, first.id]);
    expect(page.items[1]).toEqual({
      id: first.id,
      to: "ada@example.com",
      subject: "Welcome to Crossdock",
      text: "Hello Ada",
      html: "<p>Hello Ada</p>",
      template: "welcome",
      eventId: first.eventId,
      sentAt: new Date(t).toISOString(),
    });
  });

  it("filters by recipient, case-insensitively", async () => {
    const ada = await insertMail({ to: "Ada@Example.com" });
    await insertMail({ to: "bob@example.com" });
    const page = await list(`?to=${encodeURIComponent("ada@example.COM")}`);
    expect(page.items.map((m) => m.id)).toEqual([ada.id]);
    expect((await list("?to=nobody@example.com")).items).toEqual([]);
  });

  it("pages through everything once", async () => {
    const t = Date.now() - 10_000;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await insertMail({ sentAt: t + Math.floor(i / 2) })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.sort()).toEqual(ids.sort());
    expect(new Set(seen).size).toBe(5);
  });

  it("rejects unknown params and malformed cursors", async () => {
    expect((await call("/ops/mailbox?from=x", { headers: admin.auth })).status).toBe(400);
    const res = await call("/ops/mailbox?cursor=bm9wZQ", { headers: admin.auth });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: "/problems/invalid-cursor" });
  });
});
