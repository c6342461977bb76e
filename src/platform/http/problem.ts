/** RFC 9457 problem details. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The request id, so a client report leads straight to the logs and traces of that request. */
  instance: string;
  [extension: string]: unknown;
}

/** Problem types are relative URIs under /problems/, listed in docs/API.md. */
export const problemTypeUri = (slug: string): string => `/problems/${slug}`;

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, "content-type": PROBLEM_CONTENT_TYPE },
  });
}
