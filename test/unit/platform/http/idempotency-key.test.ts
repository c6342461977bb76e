import { describe, expect, it } from "vitest";
import {
  isFinalStatus,
  parseIdempotencyKey,
  REPLAYED_HEADER,
  replayResponse,
  requestFingerprint,
  storeResponse,
} from "../../../../src/platform/http/idempotency-key";

describe("parseIdempotencyKey", () => {
  it("accepts a bare key and the draft's sf-string as the same key", () => {
    const uuid = "8e03978e-40d5-43e8-bc93-6894a57f9324";
    expect(parseIdempotencyKey(uuid)).toEqual({ ok: true, key: uuid });
    expect(parseIdempotencyKey(`"${uuid}"`)).toEqual({ ok: true, key: uuid });
  });

  it('unescapes \\" and \\\\ inside a quoted key', () => {
    expect(parseIdempotencyKey('"a\\"b\\\\c"')).toEqual({ ok: true, key: 'a"b\\c' });
  });

  it("refuses malformed quoting", () => {
    for (const raw of ['"abc', '"abc"x', '"a\\b"', '"a" "b"']) {
      expect(parseIdempotencyKey(raw).ok, raw).toBe(false);
    }
  });

  it("refuses empty, oversized and non-printable keys", () => {
    expect(parseIdempotencyKey("")).toEqual({ ok: false, reason: "must not be empty" });
    expect(parseIdempotencyKey('""')).toEqual({ ok: false, reason: "must not be empty" });
    expect(parseIdempotencyKey("k".repeat(255)).ok).toBe(true);
    expect(parseIdempotencyKey("k".repeat(256)).ok).toBe(false);
    expect(parseIdempotencyKey(`"${"k".repeat(256)}"`).ok).toBe(false);
    expect(parseIdempotencyKey("clé").ok).toBe(false);
    expect(parseIdempotencyKey("a\tb").ok).toBe(false);
  });
});

describe("requestFingerprint", () => {
  it("is the same for the same method, target and body", async () => {
    const a = await requestFingerprint("POST", "/v1/api-keys", '{"name":"x"}');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await requestFingerprint("post", "/v1/api-keys", '{"name":"x"}')).toBe(a);
  });

  it("differs when any of them differs, even only in formatting", async () => {
    const base = await requestFingerprint("POST", "/v1/a", '{"name":"x"}');
    const others = await Promise.all([
      requestFingerprint("PATCH", "/v1/a", '{"name":"x"}'),
      requestFingerprint("POST", "/v1/b", '{"name":"x"}'),
      requestFingerprint("POST", "/v1/a?x=1", '{"name":"x"}'),
      requestFingerprint("POST", "/v1/a", '{"name": "x"}'),
    ]);
    for (const other of others) expect(other).not.toBe(base);
  });
});

describe("isFinalStatus", () => {
  it("keeps answers and client errors, frees the key for server errors and try-again statuses", () => {
    for (const s of [200, 201, 204, 303, 400, 403, 404, 409, 422])
      expect(isFinalStatus(s), String(s)).toBe(true);
    for (const s of [408, 429, 500, 502, 503]) expect(isFinalStatus(s), String(s)).toBe(false);
  });
});

describe("storing and replaying a response", () => {
  it("keeps status, body, content-type and location, and leaves the original readable", async () => {
    const original = new Response('{"id":"k1"}', {
      status: 201,
      headers: { "content-type": "application/json", location: "/v1/things/k1", "x-request-id": "r1" },
    });
    const stored = await storeResponse(original);
    expect(stored).toEqual({
      status: 201,
      headers: { "content-type": "application/json", location: "/v1/things/k1" },
      body: '{"id":"k1"}',
    });
    expect(await original.text()).toBe('{"id":"k1"}');

    const replay = replayResponse(stored);
    expect(replay.status).toBe(201);
    expect(replay.headers.get(REPLAYED_HEADER)).toBe("true");
    expect(replay.headers.get("location")).toBe("/v1/things/k1");
    expect(replay.headers.get("x-request-id")).toBeNull();
    expect(await replay.text()).toBe('{"id":"k1"}');
  });

  it("replays a bodiless 204", async () => {
    const replay = replayResponse(await storeResponse(new Response(null, { status: 204 })));
    expect(replay.status).toBe(204);
    expect(replay.body).toBeNull();
  });
});
