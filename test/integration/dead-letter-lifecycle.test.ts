import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { anEnvelopeAt, eventually, mailboxRows } from "../support/events";
import { call } from "../support/http";
import { deliver } from "../support/queues";
import { createTestUser } from "../support/users";

/**
 * The whole life of a message that cannot be processed, as an operator lives it: the email provider is
 * down, retries run out, the dead letter is stored and alerted on; the provider recovers, the operator
 * redrives, and the email is sent exactly once — even though the dead letter held an old (v1) envelope.
 */
describe("a dead letter, from failure to redrive", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is stored, alerted on, redriven through the real queue as the current version, and processed once", async () => {
    const admin = await createTestUser("admin");
    const email = `dl-${crypto.randomUUID()}@example.com`;
    const event = anEnvelopeAt("user.registered", 1, { userId: "usr_dl", email, displayName: "Grace" });

    // The provider is down: only its HTTP API is mocked; everything else is the real runtime.
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) =>
      new Request(input, init).url === env.EMAIL_API_URL
        ? new Response("unavailable", { status: 503 })
        : realFetch(input, init),
    );
    const failing = { EMAIL_PROVIDER: "http", EMAIL_API_KEY: "test-key" };
    for (const attempts of [1, 2]) {
      const r = await deliver("crossdock-email", [{ body: event, id: "m", attempts }], failing);
      expect(r.retryMessages).toHaveLength(1);
    }
    // Retries exhausted, Queues hands it to the DLQ; any dead letter is too many for this test's rule.
    const dead = await deliver("crossdock-email-dlq", [{ body: event, id: "m" }], {
      ALERT_DLQ_MAX_COUNT: "0",
    });
    expect(dead.explicitAcks).toEqual(["m"]);
    vi.restoreAllMocks();

    const list = await call(`/ops/dead-letters?queue=crossdock-email&type=user.registered`, {
      headers: admin.auth,
    });
    const { items } = (await list.json()) as { items: { id: string; eventId: string; lastError: string }[] };
    const letter = items.find((i) => i.eventId === event.id);
    expect(letter?.lastError).toContain("503");

    const alerts = (await (await call("/ops/alerts?state=firing", { headers: admin.auth })).json()) as {
      items: { rule: string }[];
    };
    expect(alerts.items.map((a) => a.rule)).toContain("dead-letters-count");

    // The provider is back (the default local mailbox); the operator redrives.
    const redrive = await call(`/ops/dead-letters/${letter!.id}/redrive`, {
      method: "POST",
      headers: admin.auth,
    });
    expect(redrive.status).toBe(202);
    const [mail] = await eventually(async () => {
      const rows = await mailboxRows({ to: email });
      return rows.length > 0 ? rows : null;
    });
    // Upcast on the way: v1's displayName became v2's name before the consumer saw it.
    expect(mail!.subject).toBe("Welcome to Crossdock, Grace");

    // Redriving again is refused, and a stray redelivery of the same event sends nothing more.
    expect(
      (await call(`/ops/dead-letters/${letter!.id}/redrive`, { method: "POST", headers: admin.auth })).status,
    ).toBe(409);
    await deliver("crossdock-email", [{ body: event, id: "again" }]);
    expect(await mailboxRows({ to: email })).toHaveLength(1);
  });
});
