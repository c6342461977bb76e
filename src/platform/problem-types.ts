/**
 * The one registry of problem types: every `type` Crossdock can answer is a key here, with what it
 * means and what the client should do. Typed errors take their slug as `ProblemSlug`, so a type missing
 * here fails the type-check, and `/problems/<slug>` pages are rendered from these entries.
 *
 * @example
 * throw new ConflictError("An account with this email already exists.", "email-taken");
 */
export interface ProblemType {
  status: number;
  title: string;
  /** What happened, in a sentence a client developer can act on. */
  meaning: string;
  /** What to do about it. */
  todo: string;
}

const p = (status: number, title: string, meaning: string, todo: string): ProblemType => ({
  status,
  title,
  meaning,
  todo,
});

export const PROBLEM_TYPES = {
  "validation-error": p(
    400,
    "Your request is not valid",
    "Input fails its schema (including an unknown body field or query parameter); `errors` lists every bad field with `field`, `in` and `message`.",
    "Fix each field named in `errors` and send the request again.",
  ),
  "bad-request": p(
    400,
    "Bad request",
    "The request is malformed, e.g. a body that is not valid JSON.",
    "Send a well-formed request.",
  ),
  "invalid-cursor": p(
    400,
    "Bad request",
    "A pagination cursor is malformed or belongs to another query.",
    "Request the first page again without a cursor.",
  ),
  "idempotency-key-invalid": p(
    400,
    "Bad request",
    "The Idempotency-Key header is malformed.",
    "Send 1–255 printable ASCII characters.",
  ),
  "idempotency-key-missing": p(
    400,
    "Bad request",
    "This route requires an Idempotency-Key header.",
    "Send a fresh Idempotency-Key and retry.",
  ),
  "invalid-consistency-token": p(
    400,
    "Bad request",
    "GET /v1/orders: a consistencyToken that is malformed or was not issued to you.",
    "Use the token from your own order's answer, or omit it.",
  ),
  "invalid-d1-bookmark": p(
    400,
    "Bad request",
    "The x-d1-bookmark request header is not a D1 bookmark (hyphen-separated hex groups, at most 128 characters).",
    "Send back the x-d1-bookmark of an earlier answer unchanged, or omit the header.",
  ),
  unauthorized: p(
    401,
    "Unauthorized",
    "No usable credentials: missing, invalid, revoked or expired.",
    "Log in (or use a valid API key) and send `Authorization: Bearer <token>`.",
  ),
  "invalid-credentials": p(
    401,
    "Invalid credentials",
    "Wrong email or password (the same answer whether or not the email exists).",
    "Check the email and password; repeated failures are rate limited.",
  ),
  forbidden: p(
    403,
    "Forbidden",
    "Wrong role, or an API key without the route's scope.",
    "Call with an account or key that is allowed to.",
  ),
  "not-found": p(
    404,
    "Not found",
    "No such resource or route, or the resource is not yours.",
    "Check the path and id.",
  ),
  "method-not-allowed": p(
    405,
    "Method not allowed",
    "The path exists but does not answer this method; `Allow` lists the methods it does.",
    "Use one of the methods in `Allow`.",
  ),
  "email-taken": p(
    409,
    "Conflict",
    "Signup with an email that already has an account.",
    "Log in, or sign up with another email.",
  ),
  "duplicate-sku": p(
    409,
    "Conflict",
    "The merchant already has a product with this SKU.",
    "Use another SKU or update the existing product.",
  ),
  "insufficient-stock": p(
    409,
    "Conflict",
    "A quote asks for more than is in stock (`items` lists product, requested, available).",
    "Lower the quantities, or try again later.",
  ),
  "idempotency-request-in-flight": p(
    409,
    "Conflict",
    "A request with this Idempotency-Key is still running.",
    "Wait for `Retry-After` seconds and retry with the same key.",
  ),
  "already-redriven": p(
    409,
    "Conflict",
    "Ops: the dead letter was already redriven.",
    "Nothing to do; follow the redriven delivery.",
  ),
  "redrive-run-state": p(
    409,
    "Conflict",
    "Ops: the redrive run's state does not allow that (pause a run that is not running, resume one that is not paused, cancel one that has ended).",
    "Read the run (`GET /ops/redrive-runs/{id}`) and act on its `state`.",
  ),
  "faults-disabled": p(
    409,
    "Conflict",
    'Ops: POST /ops/faults where fault injection is off (FAULTS_ENABLED is not "true"; production\'s default).',
    'Set FAULTS_ENABLED = "true" for this deployment (local runs and tests have it on), or run the game day elsewhere.',
  ),
  "no-template-fact": p(
    409,
    "Conflict",
    "Ops: POST /ops/faults/backlog before any fact of the type it copies was published.",
    "Send one real fact first (for analytics: POST /v1/events), then try again.",
  ),
  "gameday-exists": p(
    409,
    "Conflict",
    "Ops: a game-day run with this id is already recorded.",
    "Nothing to do; read it at `GET /ops/gamedays/{id}`.",
  ),
  "quote-already-used": p(
    409,
    "Conflict",
    "An order was already placed with this quote; a quote is honoured once.",
    "Request a new quote for another order.",
  ),
  "product-unavailable": p(409, "Conflict", "A quoted product is no longer sold.", "Request a new quote."),
  "too-late": p(
    409,
    "Conflict",
    "Cancel: the order is confirmed or being confirmed.",
    "Ask for a refund instead.",
  ),
  "already-cancelled": p(409, "Conflict", "Cancel: the order is already cancelled.", "Nothing to do."),
  "not-refundable": p(
    409,
    "Conflict",
    "Refund: the order is not confirmed.",
    "Cancel it instead, or wait until it is confirmed.",
  ),
  "already-refunded": p(409, "Conflict", "Refund: the order is already refunded.", "Nothing to do."),
  "statement-not-ready": p(
    409,
    "Conflict",
    "A settlement's CSV statement before it is settled (`settlementStatus` says where it is).",
    "Try again once the settlement is settled.",
  ),
  "report-not-ready": p(
    409,
    "Conflict",
    "Report download before the report is built.",
    "Wait for `Retry-After`, or follow `/v1/jobs/:id` until it succeeds.",
  ),
  "quote-expired": p(410, "Gone", "The quote's `expiresAt` has passed.", "Request a new quote."),
  "report-failed": p(
    410,
    "Gone",
    "The report's build failed for good (the job's `error` says why).",
    "Request the report again.",
  ),
  "payload-too-large": p(
    413,
    "Payload too large",
    "The body is over the route's limit (`limitBytes`).",
    "Send a smaller body.",
  ),
  "unsupported-media-type": p(
    415,
    "Unsupported media type",
    "The body is not sent as the route's content type (JSON).",
    "Send `content-type: application/json`.",
  ),
  "empty-import": p(
    422,
    "Unprocessable request",
    "POST /v1/catalog/imports with an empty file.",
    "Upload a file with a header and rows.",
  ),
  "unknown-product": p(
    422,
    "Unprocessable request",
    "A quote names products that do not exist (`productIds`).",
    "Remove those items.",
  ),
  "unsupported-destination": p(
    422,
    "Unprocessable request",
    "No tax and shipping rules for `shipTo.country`.",
    "Ship to one of `supportedCountries`.",
  ),
  "promo-code-unknown": p(
    422,
    "Unprocessable request",
    "No promotion has this code.",
    "Check the code, or quote without it.",
  ),
  "promo-code-expired": p(
    422,
    "Unprocessable request",
    "The promo code has expired (`expiredAt`).",
    "Quote without it.",
  ),
  "promo-code-not-applicable": p(
    422,
    "Unprocessable request",
    "The promo code cannot be used on this cart; `reason` says why: not started, minimum subtotal, no eligible items.",
    "Change the cart as `reason` says, or quote without the code.",
  ),
  "too-many-events": p(
    422,
    "Unprocessable request",
    "POST /v1/events with more than 500 events; `errors` names `events`.",
    "Split the batch.",
  ),
  "mixed-currency": p(
    422,
    "Unprocessable request",
    "The cart's products are priced in more than one currency.",
    "Quote each currency separately.",
  ),
  "unsupported-currency": p(
    422,
    "Unprocessable request",
    "The cart's products are in a currency quotes cannot price.",
    "Quote products in a supported currency.",
  ),
  "period-not-closed": p(
    422,
    "Unprocessable request",
    "Ops: POST /ops/settlements/run for a UTC day that has not ended yet.",
    "Run it after the day ends.",
  ),
  "idempotency-key-reused": p(
    422,
    "Unprocessable request",
    "The Idempotency-Key was used for a different request.",
    "Use a new key for a new request.",
  ),
  "unknown-consumer": p(
    422,
    "Unprocessable request",
    "Ops: a fault or a synthetic backlog names a consumer that no flow declares (`consumers` lists them).",
    "Use one of the consumer names in `consumers`.",
  ),
  "unknown-flow": p(
    422,
    "Unprocessable request",
    "Ops: `GET /ops/costs?flow=` names a flow that has no costs counted (`flows` lists those that do).",
    "Use one of the names in `flows`, or leave `flow` out for every flow.",
  ),
  "no-synthetic-facts": p(
    422,
    "Unprocessable request",
    "Ops: POST /ops/faults/backlog for a consumer whose flow declares no synthetic facts (`consumers` lists those that do).",
    "Pick a consumer in `consumers`, or declare `synthetic` for this one in its flow.",
  ),
  "nothing-to-redrive": p(
    422,
    "Unprocessable request",
    "Ops: a redrive run's scope matches no dead letter that is waiting.",
    "Check the filters (`GET /ops/dead-letters` with the same ones lists what they match).",
  ),
  "not-redrivable": p(
    422,
    "Unprocessable request",
    "Ops: the dead letter still cannot be read as a current event.",
    "Fix its cause (e.g. deploy an upcaster), then redrive.",
  ),
  "rate-limited": p(
    429,
    "Too many requests",
    "Too many failed logins from this client address, or too many POST /v1/events from one account.",
    "Wait for `Retry-After` seconds.",
  ),
  "internal-error": p(
    500,
    "Internal server error",
    "Our fault; nothing internal is revealed.",
    "Retry later; quote `instance` to support.",
  ),
  misconfigured: p(
    503,
    "Service misconfigured",
    "The deployment lacks a secret its configuration needs (`missing` names them, never their values), or a D1 shard binding D1_SHARDS counts (`detail` names it).",
    "Nothing to change in the request: the operator sets the secrets or binds the shard (docs/DEPLOY.md); retry later.",
  ),
  "queue-unavailable": p(
    503,
    "Service unavailable",
    "Ops: the queue could not accept a redriven message.",
    "Try again.",
  ),
} as const satisfies Record<string, ProblemType>;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export const isProblemSlug = (slug: string): slug is ProblemSlug => Object.hasOwn(PROBLEM_TYPES, slug);
