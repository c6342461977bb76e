import { PayloadTooLargeError } from "../../platform/errors";
import { MultipartWriter } from "../../platform/files/multipart-writer";

export interface StoredUpload {
  bytes: number;
  /** SHA-256 of the stored bytes, lowercase hex. */
  sha256: string;
}

const hex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * Streams a request body to R2 at `key`, hashing and counting it on the way: the file is never held
 * whole in memory. With a Content-Length the body goes to one `put` through a FixedLengthStream (R2
 * needs the length of a streamed put up front); without one (chunked), it goes up as a multipart
 * upload, one 5 MiB part in memory at a time. Past `maxBytes` it stops with PayloadTooLargeError and
 * removes what was stored.
 */
export async function storeUpload(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream<Uint8Array>,
  limits: { contentLength: number | null; maxBytes: number },
): Promise<StoredUpload> {
  const digest = new crypto.DigestStream("SHA-256");
  const hasher = digest.getWriter();
  // Rejects when the upload is abandoned; observed here so that is not an unhandled rejection.
  const digested = digest.digest;
  digested.catch(() => undefined);
  let bytes = 0;
  let tooLarge: PayloadTooLargeError | null = null;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      async transform(chunk, controller) {
        bytes += chunk.byteLength;
        if (bytes > limits.maxBytes) {
          tooLarge = new PayloadTooLargeError(limits.maxBytes);
          throw tooLarge;
        }
        await hasher.write(chunk);
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    if (limits.contentLength === null) await putMultipart(bucket, key, counted);
    else {
      const fixed = new FixedLengthStream(limits.contentLength);
      await Promise.all([counted.pipeTo(fixed.writable), bucket.put(key, fixed.readable)]);
    }
  } catch (err) {
    await hasher.abort().catch(() => undefined);
    await bucket.delete(key).catch(() => undefined);
    throw tooLarge ?? err;
  }
  await hasher.close();
  return { bytes, sha256: hex(await digested) };
}

async function putMultipart(bucket: R2Bucket, key: string, stream: ReadableStream<Uint8Array>) {
  const out = await MultipartWriter.open(bucket, key);
  try {
    for await (const chunk of stream) await out.write(chunk);
    // An empty body stores nothing; the caller refuses it.
    if (out.bytes === 0) await out.abort();
    else await out.finish();
  } catch (err) {
    await out.abort();
    throw err;
  }
}
