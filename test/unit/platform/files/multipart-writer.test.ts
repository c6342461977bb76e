import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_PART_BYTES, MultipartWriter } from "../../../../src/platform/files/multipart-writer";

let n = 0;
const freshKey = () => `test/multipart-writer/${Date.now()}-${++n}`;

async function stored(key: string): Promise<Uint8Array> {
  const object = await env.FILES.get(key);
  if (!object) throw new Error(`no object at ${key}`);
  return new Uint8Array(await object.arrayBuffer());
}

describe("MultipartWriter", () => {
  it("stores text and bytes in order, across parts of R2's smallest size", async () => {
    const key = freshKey();
    const P = DEFAULT_PART_BYTES;
    const out = await MultipartWriter.open(env.FILES, key, { contentType: "text/csv; charset=utf-8" });
    // "é" is two bytes of UTF-8: the first ends the first part, the second starts the next.
    await out.write(`${"x".repeat(P - 1)}é`);
    await out.write(Uint8Array.of(1, 2, 3));
    await out.write("end");
    expect(await out.finish()).toEqual({ bytes: P + 7, parts: 2 });

    const body = await stored(key);
    expect(body.byteLength).toBe(P + 7);
    expect(body.subarray(0, P - 1).every((b) => b === 0x78)).toBe(true);
    expect([...body.subarray(P - 1)]).toEqual([0xc3, 0xa9, 1, 2, 3, 0x65, 0x6e, 0x64]);
    expect((await env.FILES.head(key))?.httpMetadata?.contentType).toBe("text/csv; charset=utf-8");
  });

  it("stores any small sequence of writes as their concatenation", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string({ unit: "binary" }), fc.uint8Array()), { maxLength: 8 }),
        async (writes) => {
          const key = freshKey();
          const out = await MultipartWriter.open(env.FILES, key);
          for (const w of writes) await out.write(w);
          const expected = writes.flatMap((w) => [
            ...(typeof w === "string" ? new TextEncoder().encode(w) : w),
          ]);
          expect(await out.finish()).toEqual({ bytes: expected.length, parts: 1 });
          expect([...(await stored(key))]).toEqual(expected);
        },
      ),
      { numRuns: 20 },
    );
  });

  it("stores an empty object when finished without data, and nothing when aborted", async () => {
    const empty = freshKey();
    const out = await MultipartWriter.open(env.FILES, empty);
    expect(await out.finish()).toEqual({ bytes: 0, parts: 1 });
    expect((await stored(empty)).byteLength).toBe(0);

    const dropped = freshKey();
    const aborted = await MultipartWriter.open(env.FILES, dropped);
    await aborted.write("never stored");
    await aborted.abort();
    expect(await env.FILES.head(dropped)).toBeNull();
  });
});
