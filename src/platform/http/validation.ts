import { type RouteConfig, z } from "@hono/zod-openapi";
import { validator } from "hono/validator";
import type { ZodError } from "zod";
import { type FieldError, ValidationError } from "../errors";
import { MALFORMED_TEXT_MESSAGE, malformedTextPaths } from "../well-formed-text";

const LOCATIONS: Record<string, string> = { json: "body", query: "query", param: "path", header: "header" };

/** Flattens a zod error into one entry per bad field, named by its dotted path (`items.0.quantity`). */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  const where = LOCATIONS[target] ?? target;
  return error.issues.flatMap((issue) => {
    // Unknown keys are reported together on their object; give each its own entry, so the client is
    // told every key to drop (not one path made of all of them).
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    return keys.map((key) => {
      const path = [...issue.path.map(String), ...(key === undefined ? [] : [key])];
      return {
        field: path.length > 0 ? path.join(".") : where,
        in: where,
        message: key === undefined ? issue.message : "unknown field",
      };
    });
  });
}

/** Targets whose strings come from the client as free text; path params are checked by their routes' patterns. */
const TEXT_TARGETS = new Set(["json", "query"]);

/**
 * The `defaultHook` of every router: a failed validation becomes one ValidationError (400) listing each
 * bad field, handled by the shared error handler like every other typed error. A valid body or query
 * is then checked for malformed text (NUL, lone surrogates) here, once for every route and field,
 * rather than by a refinement each schema could forget.
 */
export function validationHook(result: {
  success: boolean;
  error?: ZodError;
  data?: unknown;
  target: string;
}): void {
  if (!result.success && result.error) throw new ValidationError(fieldErrors(result.error, result.target));
  if (!result.success || !TEXT_TARGETS.has(result.target)) return;
  const where = LOCATIONS[result.target] ?? result.target;
  const bad = malformedTextPaths(result.data);
  if (bad.length > 0) {
    throw new ValidationError(
      bad.map((path) => ({ field: path || where, in: where, message: MALFORMED_TEXT_MESSAGE })),
    );
  }
}

/**
 * The route with a strict query schema: its own made strict, or an empty strict one when it declares
 * none, so an undeclared parameter (a typo, a filter the route does not have) is a 400 naming it
 * instead of being silently ignored. A query schema that is not a plain object is left as written.
 */
export function strictQuery<R extends RouteConfig>(route: R): R {
  const query = route.request?.query;
  if (query !== undefined && !(query instanceof z.ZodObject)) return route;
  const strict = query === undefined ? z.strictObject({}) : query.strict();
  return { ...route, request: { ...route.request, query: strict } };
}

const NO_QUERY = z.strictObject({});

/**
 * The same rule for the few routes that are not OpenAPI operations (the documents and their reference
 * page): they take no query parameters, so any parameter is a 400 naming it, as on every other route.
 */
export const noQueryParameters = validator("query", (query) => {
  const parsed = NO_QUERY.safeParse(query);
  if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error, "query"));
  return parsed.data;
});
