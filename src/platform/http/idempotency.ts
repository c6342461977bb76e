import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { systemClock } from "../clock";
import { AppError, BadRequestError, UnprocessableError } from "../errors";
import type { ClaimDecision } from "../events/dedup-claim";
import { dedupKey } from "../events/dedup-client";
import { keepLeaseAlive, type LeaseClock } from "../events/dedup-lease";
import { errorFields } from "../observability/logger";
import type { AppEnv } from "./app-env";
import {
  isFinalStatus,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  parseIdempotencyKey,
  REPLAYED_HEADER,
  replayResponse,
  requestFingerprint,
  type StoredResponse,
  storeResponse,
} from "./idempotency-key";
import { HEARTBEAT_MS, LEASE_MS } from "./idempotency-lease";
import { principalOf } from "./principal";

/** How long a key and its answer are kept, from the first answer. Published in the API contract. */
export const IDEMPOTENCY_TTL_HOURS = 24;
const IDEMPOTENCY_TTL_MS = IDEMPOTENCY_TTL_HOURS * 3_600_000;

export interface IdempotencyOptions {
  /** Refuse requests without the header (400 `idempotency-key-missing`); optional by default. */
  required?: boolean;
  /** Time and the lease heartbeat's timer; tests pass their own. */
  clock?: LeaseClock;
}

/**
 * `Idempotency-Key` for a creating endpoint, after the IETF httpapi draft. Keys belong to the caller's
 * user (`http:<userId>` in the DedupStore), so it runs after `authenticate`. Same key and same request:
 * the first answer is replayed with `Idempotent-Replayed: true`. Same key, another request: 422
 * `idempotency-key-reused`. Same key while the first is still running: 409
 * `idempotency-request-in-flight` with Retry-After. 5xx answers free the key for a retry.
 *
 * The request holds its key with a short lease (LEASE_MS) that a heartbeat renews while the request
 * runs (keepLeaseAlive, src/platform/events/dedup-lease.ts). A request whose process died stops renewing, so its retry is refused
 * for at most LEASE_MS and then takes the key over; a live slow request keeps its key however long it
 * takes. The 409's Retry-After is the time left on the lease.
 *
 * @example
 * middleware: [authenticate({ roles: ["merchant"] }), idempotency()] as const,
 * request: { headers: idempotencyKeyHeaders(), body: … },
 */
export function idempotency(options: IdempotencyOptions = {}) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const raw = c.req.header("idempotency-key");
    if (raw === undefined) {
      if (options.required) {
        throw new BadRequestError(
          "This operation requires an Idempotency-Key header; send a new random key (e.g. a UUID) per operation.",
          "idempotency-key-missing",
        );
      }
      return next();
    }
    const parsed = parseIdempotencyKey(raw);
    if (!parsed.ok) throw new BadRequestError(`Idempotency-Key ${parsed.reason}.`, "idempotency-key-invalid");

    const { userId } = principalOf(c);
    const url = new URL(c.req.url);
    // Hono caches the body, so the validators after this middleware can still read it.
    const fingerprint = await requestFingerprint(c.req.method, url.pathname + url.search, await c.req.text());
    const store = dedupKey(c.env, `http:${userId}`, parsed.key, 1);
    const clock = options.clock ?? systemClock;
    const decision = await store.claim({
      leaseMs: LEASE_MS,
      ttlMs: IDEMPOTENCY_TTL_MS,
      now: clock.now(),
      fingerprint,
    });
    if (decision.outcome !== "claimed") return refuseOrReplay(decision);

    const log = c.get("log").child({ idempotencyKey: parsed.key, userId });
    if (decision.reclaimed) {
      // The previous holder died mid-request: its effect may or may not have happened.
      log.warn("idempotency.reclaimed", { method: c.req.method, path: url.pathname });
    }
    const lease = keepLeaseAlive(store, decision.record.leaseUntil, {
      leaseMs: LEASE_MS,
      heartbeatMs: HEARTBEAT_MS,
      clock,
      log,
      logAs: "idempotency",
    });
    const release = (leaseUntil: number) =>
      store
        .release(leaseUntil)
        .catch((err: unknown) => log.error("idempotency.release-failed", errorFields(err)));
    try {
      await next();
    } catch (err) {
      await release(await lease.stop());
      throw err;
    }
    const leaseUntil = await lease.stop();
    if (!isFinalStatus(c.res.status)) {
      await release(leaseUntil);
      return;
    }
    // Stored before the client sees the answer, so a retry can never run the operation again. If the
    // store fails the client still gets its answer; the key then stays in flight until its lease ends.
    try {
      const stored = await storeResponse(c.res);
      await store.complete(JSON.stringify(stored), clock.now(), IDEMPOTENCY_TTL_MS);
    } catch (err) {
      log.error("idempotency.complete-failed", errorFields(err));
    }
  });
}

function refuseOrReplay(decision: Exclude<ClaimDecision, { outcome: "claimed" }>): Response {
  switch (decision.outcome) {
    case "done":
      // Only this middleware writes `http:` keys, and it always stores a response.
      if (decision.result === null) throw new Error("Idempotency record without a stored response");
      return replayResponse(JSON.parse(decision.result) as StoredResponse);
    case "mismatch":
      throw new UnprocessableError(
        "This Idempotency-Key was used with a different request. Resend the original request, or use a new key for a new one.",
        "idempotency-key-reused",
      );
    case "in-flight": {
      const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
      throw new AppError(
        409,
        "idempotency-request-in-flight",
        "Conflict",
        "A request with this Idempotency-Key is still being processed; retry after Retry-After seconds.",
        { retryAfterSeconds: seconds },
        { "Retry-After": String(seconds) },
      );
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown claim outcome ${JSON.stringify(unreachable)}`);
    }
  }
}

const HEADER_DESCRIPTION =
  `A key for this operation, unique per operation (a UUID is ideal): 1–${MAX_IDEMPOTENCY_KEY_LENGTH} ` +
  "printable ASCII characters, bare or as a quoted sf-string. Keys belong to your account (every " +
  `session and API key of it) and are kept ${IDEMPOTENCY_TTL_HOURS} hours after the first answer. ` +
  "Retrying the same request with the same key replays the first answer, client errors included, " +
  "with `Idempotent-Replayed: true`; 5xx, 408 and 429 answers are not kept, so a retry runs again. " +
  "The same key with a different method, path or body gets 422 `idempotency-key-reused`; a retry " +
  "while the first is still running gets 409 `idempotency-request-in-flight` with Retry-After.";

/**
 * The `Idempotency-Key` request header for a route contract. Not strict: other headers pass through.
 *
 * @example
 * request: { headers: idempotencyKeyHeaders(), body: … }
 */
export function idempotencyKeyHeaders(options: IdempotencyOptions = {}) {
  const key = z
    .string()
    .openapi({ description: HEADER_DESCRIPTION, example: "8e03978e-40d5-43e8-bc93-6894a57f9324" });
  return z.object({ "idempotency-key": options.required ? key : key.optional() });
}

/** The `Idempotent-Replayed` response header, for the success response of an idempotent route. */
export const replayedHeader = {
  [REPLAYED_HEADER]: {
    description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
    schema: { type: "string" as const, enum: ["true"] },
  },
};
