import { isDeepStrictEqual } from "node:util";
import type { BenchRequest, Scenario } from "../scenarios/types";
import { TARGET_LABELS, type Target } from "./targets";

// Enough to cover every kind of request a scenario sends (search: first and second pages).
const CHECKED_REQUESTS = 16;

/** Headers that are part of an answer, not of its transport: a baseline must send them when crossdock does. */
const ANSWER_HEADERS = ["x-d1-bookmark"] as const;

interface Answer {
  status: number;
  body: unknown;
  /** Which of ANSWER_HEADERS the answer carried (their values differ by design: each write moves the bookmark). */
  headers: string[];
}

async function answer(base: URL, req: BenchRequest): Promise<Answer> {
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
  return { status: res.status, body, headers: ANSWER_HEADERS.filter((h) => res.headers.has(h)) };
}

/**
 * Sends the first requests of a scenario to crossdock and to each baseline it is measured against, and
 * throws unless all answer 2xx with equal (comparable parts of) JSON bodies and the same answer headers:
 * a baseline that answered something else would measure nothing, and a floor that answered less would
 * be a floor by cheating.
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
        isDeepStrictEqual(crossdock.headers, other.headers) &&
        isDeepStrictEqual(comparable(crossdock.body), comparable(other.body));
      if (!ok) {
        throw new Error(
          `${scenario.name}: crossdock and the ${TARGET_LABELS[baseline]} disagree on ${req.method} ${req.path}\n` +
            `crossdock ${crossdock.status} [${crossdock.headers}]: ${JSON.stringify(crossdock.body)}\n` +
            `${baseline.padEnd(9)} ${other.status} [${other.headers}]: ${JSON.stringify(other.body)}`,
        );
      }
    }
  }
}
