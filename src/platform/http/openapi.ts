import { z } from "@hono/zod-openapi";
import { PROBLEM_CONTENT_TYPE } from "./problem";

/** The RFC 9457 problem object as documented in the OpenAPI contract. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-error" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().openapi({ description: "The request id (also in x-request-id)." }),
    errors: z
      .array(z.object({ field: z.string(), in: z.string().optional(), message: z.string() }))
      .optional()
      .openapi({ description: "Validation errors: one entry per bad field." }),
  })
  .openapi("Problem");

const DESCRIPTIONS: Record<number, string> = {
  400: "Invalid input (validation-error lists each field)",
  401: "Missing, invalid or expired credentials",
  403: "Authenticated but not allowed (role or API key scope)",
  404: "Not found (or not yours)",
  409: "Conflict with the current state",
  410: "No longer available",
  413: "Body too large",
  415: "Unsupported content type",
  422: "Well-formed but cannot be processed",
  429: "Rate limited; see Retry-After",
};

/**
 * Problem responses for a route contract.
 *
 * @example
 * responses: { 200: …, ...problems(400, 401, 404) }
 */
export function problems<const S extends readonly number[]>(...statuses: S) {
  const out: Record<
    number,
    { description: string; content: Record<string, { schema: typeof ProblemSchema }> }
  > = {};
  for (const s of statuses) {
    out[s] = {
      description: DESCRIPTIONS[s] ?? "Error",
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  return out as { [K in S[number]]: (typeof out)[number] };
}

/** Security requirement for routes that need a session token or API key. */
export const bearerAuth = [{ bearerAuth: [] }];
