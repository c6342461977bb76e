import { type RouteConfig, z } from "@hono/zod-openapi";
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
  500: "Unexpected error; the problem leaks nothing but its instance (the request id)",
};

/**
 * Problem responses for a route contract: the ones its handler can answer. Those every route's
 * plumbing can answer (400, 401/403, 413, 415, 500) are added by documented().
 *
 * @example
 * responses: { 200: …, ...problems(404, 409) }
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

/**
 * A JSON response of a route contract.
 *
 * @example
 * responses: { 200: jsonResponse(AlertSchema, "The alert") }
 */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Security requirement for routes that need a session token or API key. */
export const bearerAuth = [{ bearerAuth: [] }];

/** `POST /v1/orders/{id}/cancel` → `postOrdersByIdCancel`: unique because method and path are. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .split("/")
    .filter((segment) => segment !== "" && segment !== "v1")
    .map((segment) => segment.replace(/^\{(.+)\}$/, "by-$1"))
    .flatMap((segment) => segment.split(/[-_]/));
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join("");
}

/**
 * The route as the OpenAPI document should show it, completed from what every route's plumbing can
 * answer so no contract has to remember it: an operationId from method and path; `security: []` when
 * it declares none (public); 400 (every query string is strict), 500; 401/403 from authentication;
 * 413 for every method with a body (the body limit runs first), 415 for a JSON body. A contract's own
 * entries win.
 */
export function documented<R extends RouteConfig>(route: R): R {
  const secured = (route.security?.length ?? 0) > 0;
  const hasBody = route.method !== "get" && route.method !== "head";
  const json = route.request?.body?.content?.["application/json"] !== undefined;
  const statuses = [
    400,
    500,
    ...(secured ? [401, 403] : []),
    ...(hasBody ? [413] : []),
    ...(json ? [415] : []),
  ];
  return {
    ...route,
    operationId: route.operationId ?? operationIdOf(route.method, route.path),
    security: route.security ?? [],
    responses: { ...problems(...statuses), ...route.responses },
  };
}
