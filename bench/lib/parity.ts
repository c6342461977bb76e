import { isDeepStrictEqual } from "node:util";
import type { BenchRequest, Scenario } from "../scenarios/types";
import { TARGET_LABELS, type Target } from "./targets";

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
 * Sends the first requests of a scenario to crossdock and to each baseline it is measured against, and
 * throws unless all answer 2xx with equal (comparable parts of) JSON bodies: a baseline that answered
 * something else would measure nothing, and a floor that answered less would be a floor by cheating.
 */
export async function checkParity(
  scenario: Scenario,
  requests: BenchRequest[],
  urls: Record<Target, URL>,
  baselines: readonly Exclude<Target, "crossdock">[],
): Promise<void> {
  const comparable = scenario.comparable ?? ((body: unknown) => body);
  for (const req of requests.slice(0, CHECKED_REQUESTS)) {
    const crossdock = await answer(urls.crossdock, req);
    for (const baseline of baselines) {
      const other = await answer(urls[baseline], req);
      const ok =
        crossdock.status >= 200 &&
        crossdock.status < 300 &&
        crossdock.status === other.status &&
        isDeepStrictEqual(comparable(crossdock.body), comparable(other.body));
      if (!ok) {
        throw new Error(
          `${scenario.name}: crossdock and the ${TARGET_LABELS[baseline]} disagree on ${req.method} ${req.path}\n` +
            `crossdock ${crossdock.status}: ${JSON.stringify(crossdock.body)}\n` +
            `${baseline.padEnd(9)} ${other.status}: ${JSON.stringify(other.body)}`,
        );
      }
    }
  }
}
