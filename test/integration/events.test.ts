import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { utcDay } from "../../src/consumers/accounts/user-stats";
import { users } from "../../src/flows/accounts/schema";
import worker from "../../src/index";
import { getDb } from "../../src/platform/db/client";
import { outboxStatements } from "../../src/platform/events/outbox";
import { RELAY_GRACE_MS } from "../../src/platform/events/sweeper";
import { aRegistration, eventually, insertOutboxRow, mailboxRows, statsCount } from "../support/events";
import { postJson } from "../support/http";

const outboxRow = (id: string) =>
  env.DB.prepare("SELECT * FROM outbox WHERE id = ?").bind(id).first<{ published_at: number | null }>();

describe("an event's journey through real local queues", () => {
  it("signup commits user.registered with the user, then emails a welcome and counts the sign-up", async () => {
    const email = `journey-${crypto.randomUUID()}@example.com`;
    const day = utcDay(new Date().toISOString());
    const before = await statsCount(day, "merchant");

    const res = await postJson(
      "/v1/auth/signup",
      { email, password: "correct horse battery", name: "Grace <Hopper>", role: "merchant" },
      { "x-request-id": `req-journey-${Date.now()}` },
    );
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: { id: string } };

    const event = await env.DB.prepare("SELECT id, envelope FROM outbox WHERE subject = ?")
      .bind(user.id)
      .first<{ id: string; envelope: string }>();
    expect(JSON.parse(event!.envelope)).toMatchObject({
      type: "user.registered",
      dataschema: "urn:crossdock:event:user.registered:v2",
      data: { userId: user.id, email, name: "Grace <Hopper>", role: "merchant" },
      correlationid: expect.stringMatching(/^req-journey-/),
    });
    const request = await env.DB.prepare("SELECT * FROM request_records WHERE user_id = ?")
      .bind(user.id)
      .first();
    expect(request).toMatchObject({ method: "POST", path: "/v1/auth/signup" });

    const [mail] = await eventually(async () => {
      const rows = await mailboxRows({ to: email });
      return rows.length > 0 ? rows : null;
    });
    expect(mail).toMatchObject({ template: "welcome", event_id: event!.id });
    expect(mail!.subject).toBe("Welcome to Crossdock, Grace <Hopper>");
    expect(mail!.html).toContain("Grace &lt;Hopper&gt;");
    expect(mail!.text).toContain("merchant account");

    await eventually(() =>
      env.DB.prepare("SELECT 1 AS ok FROM processed_events WHERE consumer = 'user-stats' AND event_id = ?")
        .bind(event!.id)
        .first(),
    );
    expect(await statsCount(day, "merchant")).toBe(before + 1);
    expect((await outboxRow(event!.id))?.published_at).not.toBeNull();
  });

  it("delivers an event the relay never published once the scheduled sweep runs", async () => {
    // As if the worker died between the commit and the relay: the row is there, never sent.
    const event = aRegistration();
    await insertOutboxRow(event, Date.now() - RELAY_GRACE_MS - 20_000);
    expect((await outboxRow(event.id))?.published_at).toBeNull();

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() }), env);

    expect((await outboxRow(event.id))?.published_at).not.toBeNull();
    const [mail] = await eventually(async () => {
      const rows = await mailboxRows({ eventId: event.id });
      return rows.length > 0 ? rows : null;
    });
    expect(mail).toMatchObject({ to: event.data.email, template: "welcome" });
  });
});

describe("the outbox", () => {
  it("commits a state change and its event together: a failing later statement leaves neither", async () => {
    const db = getDb(env.DB);
    const event = aRegistration();
    const now = Date.now();
    const user = {
      id: event.data.userId,
      email: event.data.email,
      name: "Ada",
      role: "buyer" as const,
      passwordHash: null,
      createdAt: now,
    };
    await expect(
      db.batch([
        db.insert(users).values(user),
        ...outboxStatements(db, [event], undefined, now),
        // The same email again violates users.email UNIQUE, after the outbox row was written.
        db.insert(users).values({ ...user, id: `${user.id}-twin` }),
      ]),
    ).rejects.toThrow(/UNIQUE/);

    expect(await env.DB.prepare("SELECT 1 FROM users WHERE email = ?").bind(user.email).first()).toBeNull();
    expect(await outboxRow(event.id)).toBeNull();
  });
});
