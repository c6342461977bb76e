import { env } from "cloudflare:workers";
import { sourceKey } from "../../src/flows/catalog-import/keys";
import { catalogImports } from "../../src/flows/catalog-import/schema";
import { getDb } from "../../src/platform/db/client";
import { newEvent } from "../../src/platform/events/new-event";
import { newId } from "../../src/platform/ids";
import { createJob } from "../../src/platform/jobs/job-statements";

/**
 * An uploaded import as POST /v1/catalog/imports leaves it — the file in R2, its job queued — but
 * with its `catalog.import_uploaded` NOT published: the test delivers the planner by hand (test/support/queues.ts) to choose how it runs. Returns the import id and that event.
 */
export async function uploadedImport(merchantId: string, text: string) {
  const now = Date.now();
  const id = newId("job", now);
  const objectKey = sourceKey(id);
  const bytes = new TextEncoder().encode(text);
  await env.FILES.put(objectKey, bytes);
  const db = getDb(env.DB);
  const contentHash = crypto.randomUUID().replaceAll("-", "").padEnd(64, "0");
  await db.batch([
    db.insert(catalogImports).values({
      id,
      merchantId,
      contentHash,
      format: "ndjson",
      bytes: bytes.length,
      objectKey,
      createdAt: now,
      updatedAt: now,
    }),
    createJob(db, { id, ownerId: merchantId, type: "catalog_import", now }).statement,
  ]);
  const requestId = crypto.randomUUID();
  const uploaded = newEvent(
    "catalog.import_uploaded",
    id,
    { importId: id, merchantId, format: "ndjson", contentHash, bytes: bytes.length, objectKey },
    {
      correlationId: requestId,
      causationId: requestId,
      traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    },
    "/crossdock/api",
    now,
  );
  return { id, uploaded };
}

/**
 * The FILES bucket, except that reading `key` breaks off with an error after `bytes` bytes (or at the
 * very end, with every byte read, when `bytes` is omitted): a planner whose read of the file fails,
 * as if the worker died there. Everything else (ranged reads of `key` too) is the real local R2.
 */
export function filesBreakingOff(key: string, bytes = Number.POSITIVE_INFINITY): R2Bucket {
  return new Proxy(env.FILES, {
    get(target, prop) {
      if (prop === "get") {
        return async (k: string, options?: R2GetOptions) => {
          const object = await target.get(k, options);
          // Ranged reads (the appliers') are not broken off: only the planner's read of the whole file.
          if (k !== key || object === null || options?.range) return object;
          const reader = object.body.getReader();
          let sent = 0;
          const body = new ReadableStream<Uint8Array>({
            async pull(controller) {
              const { done, value } = sent < bytes ? await reader.read() : { done: true, value: undefined };
              if (done) return controller.error(new Error("test: the read of the file broke off"));
              const piece = value.subarray(0, bytes - sent);
              sent += piece.length;
              controller.enqueue(piece);
            },
          });
          return { body } as R2ObjectBody;
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
