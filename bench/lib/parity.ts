import { isDeepStrictEqual } from "node:util";
import type { BenchRequest, Scenario } from "../scenarios/types";
import type { Target } from "./runtime";

// Enough to cover every kind of request a scenario sends (search: first and second pages).
const CHECKED_REQUESTS = 16;

async function answer(base: URL, req: BenchRequest): Promise<{ status: number; body: unknown }> {
  const res = await fetch(new URL(req.path, base), {
    method: req.method,
    headers: req.headers,
    body: req.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: compare the text.
  }
  return { status: res.status, body };
}

/**
 * Sends the first requests of a scenario to both workers and throws unless both answer 2xx with equal
 * (comparable parts of) JSON bodies: a baseline that answered something else would measure nothing.
 */
export async function checkParity(
  scenario: Scenario,
  requests: BenchRequest[],
  urls: Record<Target, URL>,
): Promise<void> {
  const comparable = scenario.comparable ?? ((body: unknown) => body);
  for (const req of requests.slice(0, CHECKED_REQUESTS)) {
    const crossdock = await answer(urls.crossdock, req);
    const bare = await answer(urls.bare, req);
    const ok =
      crossdock.status >= 200 &&
      crossdock.status < 300 &&
      crossdock.status === bare.status &&
      isDeepStrictEqual(comparable(crossdock.body), comparable(bare.body));
    if (!ok) {
      throw new Error(
        `${scenario.name}: crossdock and the bare worker disagree on ${req.method} ${req.path}\n` +
          `crossdock ${crossdock.status}: ${JSON.stringify(crossdock.body)}\n` +
          `bare      ${bare.status}: ${JSON.stringify(bare.body)}`,
      );
    }
  }
}
