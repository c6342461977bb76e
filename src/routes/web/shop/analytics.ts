import { BadRequestError } from "../../../platform/errors";
import { pageSection } from "../../../platform/http/pages/section";
import { problemResponse } from "../../../platform/http/problem";
import { apiFor } from "../session";

/**
 * The storefront script's way to the analytics ingestion (public/web/analytics.js): a same-origin
 * JSON post the session cookie rides on, forwarded as is to POST /v1/events as the signed-in person,
 * whose answer (202 with what was accepted, or the problem: who may report, a bad batch, 429 with
 * Retry-After) comes back unchanged. The API checks every event and every rule; this only carries.
 */
export const analyticsSection = pageSection(
  "Analytics",
  "/shop/analytics",
  (r) =>
    r.post("/shop/analytics", async (c) => {
      if (!c.req.header("content-type")?.startsWith("application/json"))
        throw new BadRequestError("Send the events as JSON: {events: [...]}.");
      let batch: unknown;
      try {
        batch = await c.req.json();
      } catch {
        throw new BadRequestError("The body is not JSON: send {events: [...]}.");
      }
      const answer = await apiFor(c)("/v1/events", { json: batch });
      const retryAfter = answer.headers.get("retry-after");
      const headers: Record<string, string> = retryAfter ? { "retry-after": retryAfter } : {};
      if (!answer.ok && answer.problem) return problemResponse(answer.problem, headers);
      return c.json(answer.body as object, answer.status as 202, headers);
    }),
  { inNav: false },
);
