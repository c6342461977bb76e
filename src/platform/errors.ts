import type { CursorRefusal } from "./encoding/opaque-token";
import type { ProblemSlug } from "./problem-types";

/**
 * Typed errors. Code anywhere throws one of these; `handleError` (the one `app.onError`) turns it into
 * an RFC 9457 problem. The `type` is a stable slug clients can switch on; it resolves under /problems/.
 *
 * @example
 * throw new NotFoundError("product", id);
 */
export interface FieldError {
  /** Dotted path of the offending field, e.g. `items.0.quantity`; `body` for the body as a whole. */
  field: string;
  /** Where the field was: body, query, path or header. */
  in?: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly type: ProblemSlug,
    readonly title: string,
    detail: string,
    /** Extra members of the problem object (RFC 9457 §3.2). */
    readonly extensions: Record<string, unknown> = {},
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    readonly errors: FieldError[],
    detail = `The request is invalid: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`,
  ) {
    super(400, "validation-error", "Your request is not valid", detail, { errors });
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, type: ProblemSlug = "bad-request") {
    super(400, type, "Bad request", detail);
  }
}

const CURSOR_REFUSALS: Record<CursorRefusal, string> = {
  malformed: "The cursor is malformed.",
  foreign: "The cursor belongs to a different query (sort or filters changed).",
};

/**
 * A list's cursor that decoding refused (see `CursorDecoding`): 400 `invalid-cursor` for every list.
 *
 * @example
 * const after = decodeCursor(cursor, fingerprint);
 * if (!after.ok) throw new InvalidCursorError(after.refusal);
 */
export class InvalidCursorError extends BadRequestError {
  constructor(refusal: CursorRefusal) {
    super(`${CURSOR_REFUSALS[refusal]} Request the first page again without a cursor.`, "invalid-cursor");
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = "Authentication is required.") {
    super(
      401,
      "unauthorized",
      "Unauthorized",
      detail,
      {},
      { "WWW-Authenticate": 'Bearer realm="crossdock"' },
    );
  }
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super(401, "invalid-credentials", "Invalid credentials", "The email or password is incorrect.");
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, "forbidden", "Forbidden", detail);
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, id?: string) {
    super(
      404,
      "not-found",
      "Not found",
      id === undefined ? `No such ${what}.` : `No ${what} with id '${id}'.`,
    );
  }
}

export class MethodNotAllowedError extends AppError {
  constructor(method: string, path: string, allow: readonly string[]) {
    const methods = allow.join(", ");
    super(
      405,
      "method-not-allowed",
      "Method not allowed",
      `${path} does not answer ${method}; it answers ${methods}.`,
      {},
      { Allow: methods },
    );
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, type: ProblemSlug, extensions: Record<string, unknown> = {}) {
    super(409, type, "Conflict", detail, extensions);
  }
}

export class GoneError extends AppError {
  constructor(detail: string, type: ProblemSlug) {
    super(410, type, "Gone", detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, "payload-too-large", "Payload too large", `The request body exceeds ${limitBytes} bytes.`, {
      limitBytes,
    });
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super(415, "unsupported-media-type", "Unsupported media type", `Send the body as ${expected}.`);
  }
}

export class UnprocessableError extends AppError {
  constructor(detail: string, type: ProblemSlug, extensions: Record<string, unknown> = {}) {
    super(422, type, "Unprocessable request", detail, extensions);
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, detail = "Too many requests. Try again later.") {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(
      429,
      "rate-limited",
      "Too many requests",
      detail,
      { retryAfterSeconds: seconds },
      {
        "Retry-After": String(seconds),
      },
    );
  }
}
