import { describe, expect, it, vi } from "vitest";
import { EmailProviderError, HttpEmailProvider } from "../../../../src/providers/email/http-provider";
import type { EmailMessage } from "../../../../src/providers/email/provider";

const URL_ = "https://api.email-provider.example/v1/messages";
const message: EmailMessage = {
  to: "ada@example.com",
  subject: "Welcome",
  text: "Hello",
  html: "<p>Hello</p>",
  template: "welcome",
  eventId: "evt_1",
};

/** The provider's HTTP API, mocked: it is the only thing that leaves the system. */
function providerAnswering(response: () => Response | Promise<Response>) {
  const fetchMock = vi.fn<typeof fetch>(async () => response());
  const provider = new HttpEmailProvider({
    url: URL_,
    apiKey: "key-123",
    from: "Crossdock <no-reply@x>",
    fetch: fetchMock,
  });
  return { provider, fetchMock };
}

describe("HttpEmailProvider", () => {
  it("POSTs the message as JSON with the bearer key and the idempotency key, and returns the provider's id", async () => {
    const { provider, fetchMock } = providerAnswering(() =>
      Response.json({ id: "prov_42" }, { status: 202 }),
    );

    expect(await provider.send(message, "evt_1:0")).toEqual({ providerMessageId: "prov_42" });

    expect(fetchMock).toHaveBeenCalledOnce();
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(URL_);
    expect(init?.method).toBe("POST");
    const headers = new Headers(init?.headers);
    expect(headers.get("authorization")).toBe("Bearer key-123");
    expect(headers.get("idempotency-key")).toBe("evt_1:0");
    expect(headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(init?.body as string)).toEqual({
      from: "Crossdock <no-reply@x>",
      to: "ada@example.com",
      subject: "Welcome",
      text: "Hello",
      html: "<p>Hello</p>",
      tags: { template: "welcome", eventId: "evt_1" },
    });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
  });

  it("maps a 500 to a thrown, retryable EmailProviderError with the status", async () => {
    const { provider } = providerAnswering(() => new Response("upstream exploded", { status: 500 }));
    const error = await provider.send(message, "evt_1:0").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailProviderError);
    expect(error).toMatchObject({ status: 500, permanent: false, message: expect.stringContaining("500") });
  });

  it.each([
    [422, true],
    [400, true],
    [408, false],
    [429, false],
    [503, false],
  ])("marks %i as permanent=%s, and throws either way", async (status, permanent) => {
    const { provider } = providerAnswering(() => new Response("no", { status }));
    await expect(provider.send(message, "k")).rejects.toMatchObject({ status, permanent });
  });

  it("turns a timeout into an EmailProviderError without a status", async () => {
    const provider = new HttpEmailProvider({
      url: URL_,
      apiKey: "k",
      from: "f",
      timeoutMs: 5,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
        ),
    });
    await expect(provider.send(message, "k")).rejects.toMatchObject({
      name: "EmailProviderError",
      status: null,
      message: expect.stringContaining("timed out"),
    });
  });

  it("falls back to the idempotency key when the provider returns no id", async () => {
    const { provider } = providerAnswering(() => new Response(null, { status: 204 }));
    expect(await provider.send(message, "evt_1:3")).toEqual({ providerMessageId: "evt_1:3" });
  });
});
