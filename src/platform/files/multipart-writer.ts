/** R2's smallest part (all but the last); parts are also all the same size, which R2 requires. */
export const DEFAULT_PART_BYTES = 5 * 1024 * 1024;

/**
 * Writes an object of unknown length to R2 as it is produced, holding at most one part in memory:
 * text (encoded as UTF-8) and bytes are copied into a fixed buffer, and each full buffer is uploaded as
 * the next part of a multipart upload. (`R2Bucket.put` needs the length up front for a stream, and a
 * whole report or a chunked upload in memory would not fit.) The one multipart upload of the codebase:
 * report files and catalog uploads without a Content-Length both go through here. A finished object
 * has at least one part, possibly empty.
 *
 * @example
 * const out = await MultipartWriter.open(env.FILES, key, { contentType: "text/csv; charset=utf-8" });
 * try { await out.write(csv); const { bytes } = await out.finish(); } catch (e) { await out.abort(); throw e; }
 */
export class MultipartWriter {
  private readonly buffer: Uint8Array;
  private readonly encoder = new TextEncoder();
  private readonly parts: R2UploadedPart[] = [];
  private filled = 0;
  private total = 0;

  private constructor(
    private readonly upload: R2MultipartUpload,
    partBytes: number,
  ) {
    this.buffer = new Uint8Array(partBytes);
  }

  static async open(
    bucket: R2Bucket,
    key: string,
    options: { contentType?: string; partBytes?: number } = {},
  ): Promise<MultipartWriter> {
    const { contentType, partBytes = DEFAULT_PART_BYTES } = options;
    const upload = await bucket.createMultipartUpload(
      key,
      contentType === undefined ? undefined : { httpMetadata: { contentType } },
    );
    return new MultipartWriter(upload, partBytes);
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.total;
  }

  async write(data: string | Uint8Array): Promise<void> {
    let chunk = typeof data === "string" ? this.encoder.encode(data) : data;
    this.total += chunk.byteLength;
    while (chunk.byteLength > 0) {
      const room = this.buffer.byteLength - this.filled;
      const take = Math.min(room, chunk.byteLength);
      this.buffer.set(chunk.subarray(0, take), this.filled);
      this.filled += take;
      chunk = chunk.subarray(take);
      if (this.filled === this.buffer.byteLength) await this.flush();
    }
  }

  /** Uploads what is buffered (the last part may be short) and completes the object. */
  async finish(): Promise<{ bytes: number; parts: number }> {
    if (this.filled > 0 || this.parts.length === 0) await this.flush();
    await this.upload.complete(this.parts);
    return { bytes: this.total, parts: this.parts.length };
  }

  /** Drops the parts uploaded so far; never throws (it runs on a path that is already failing). */
  async abort(): Promise<void> {
    await this.upload.abort().catch(() => undefined);
  }

  private async flush(): Promise<void> {
    // Awaited before the buffer is reused, so the part's bytes cannot change under the upload.
    const part = await this.upload.uploadPart(this.parts.length + 1, this.buffer.subarray(0, this.filled));
    this.parts.push(part);
    this.filled = 0;
  }
}
