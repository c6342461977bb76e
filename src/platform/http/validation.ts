import type { ZodError } from "zod";
import { type FieldError, ValidationError } from "../errors";

const LOCATIONS: Record<string, string> = { json: "body", query: "query", param: "path", header: "header" };

/** Flattens a zod error into one entry per bad field, named by its dotted path (`items.0.quantity`). */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  const where = LOCATIONS[target] ?? target;
  return error.issues.map((issue) => {
    // Unknown keys are reported on the object; name each key so the client knows what to drop.
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    const path = [...issue.path.map(String), ...keys.filter((k): k is string => k !== undefined)];
    return {
      field: path.length > 0 ? path.join(".") : where,
      in: where,
      message: issue.code === "unrecognized_keys" ? "unknown field" : issue.message,
    };
  });
}

/**
 * The `defaultHook` of every router: a failed validation becomes one ValidationError (400) listing each
 * bad field, handled by the shared error handler like every other typed error.
 */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }): void {
  if (!result.success && result.error) throw new ValidationError(fieldErrors(result.error, result.target));
}
