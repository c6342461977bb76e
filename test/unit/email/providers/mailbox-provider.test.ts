import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDb } from "../../../../src/platform/db/client";
import { HttpEmailProvider } from "../../../../src/providers/email/http-provider";
import { MailboxProvider, mailboxIdFor } from "../../../../src/providers/email/mailbox-provider";
import { OutageEmailProvider } from "../../../../src/providers/email/outage-provider";
import { selectEmailProvider } from "../../../../src/providers/email/select-provider";
import { mailboxRows } from "../../../support/events";

const message = (eventId: string) => ({
  to: `${eventId}@example.com`,
  subject: "Welcome",
  text: "Hello",
  html: "<p>Hello</p>",
  template: "welcome",
  eventId,
});

describe("MailboxProvider", () => {
  it("stores the message in the mailbox under an id derived from the idempotency key", async () => {
    const provider = new MailboxProvider(getDb(env.DB), () => 1_700_000_000_000);
    const { providerMessageId } = await provider.send(message("evt_a"), "evt_a:0");
    expect(providerMessageId).toBe(await mailboxIdFor("evt_a:0"));
    expect(await mailboxRows({ eventId: "evt_a" })).toEqual([
      {
        id: providerMessageId,
        to: "evt_a@example.com",
        subject: "Welcome",
        text: "Hello",
        html: "<p>Hello</p>",
        template: "welcome",
        event_id: "evt_a",
        sent_at: 1_700_000_000_000,
      },
    ]);
  });

  it("sending again with the same key leaves one row; another key is another email", async () => {
    const provider = new MailboxProvider(getDb(env.DB));
    const first = await provider.send(message("evt_b"), "evt_b:0");
    const again = await provider.send({ ...message("evt_b"), subject: "changed" }, "evt_b:0");
    await provider.send(message("evt_b"), "evt_b:1");
    expect(again).toEqual(first);
    const rows = await mailboxRows({ eventId: "evt_b" });
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === first.providerMessageId)?.subject).toBe("Welcome");
  });
});

describe("selectEmailProvider", () => {
  const faultsOff = { ...env, FAULTS_ENABLED: "false" };

  it("picks the provider EMAIL_PROVIDER names and refuses anything else", () => {
    expect(selectEmailProvider({ ...faultsOff, EMAIL_PROVIDER: "mailbox" })).toBeInstanceOf(MailboxProvider);
    expect(selectEmailProvider({ ...faultsOff, EMAIL_PROVIDER: "http" })).toBeInstanceOf(HttpEmailProvider);
    expect(() => selectEmailProvider({ ...faultsOff, EMAIL_PROVIDER: "smtp" })).toThrow(/EMAIL_PROVIDER/);
  });

  it("sits behind the email fault seam only when fault injection is on", () => {
    expect(selectEmailProvider({ ...env, FAULTS_ENABLED: "true" })).toBeInstanceOf(OutageEmailProvider);
  });
});
