import { expect } from "vitest";

/** A call's method, path, and bearer token, body and expected status. */
export type ServedCallArgs = [
  method: "GET" | "POST",
  path: string,
  options: { token?: string; body?: unknown; status: number },
];

/**
 * One call to a served worker's API as a client makes it (JSON, a bearer token, an Idempotency-Key on
 * every POST); fails the test on an unexpected status, showing the answer's body. Browser tests set up
 * their data with it before driving the pages.
 *
 * @example
 * const { body } = await servedCall<{ token: string }>(base, "POST", "/v1/auth/login", { body, status: 200 });
 */
export async function servedCall<T>(
  base: string,
  ...[method, path, { token, body, status }]: ServedCallArgs
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (method === "POST") headers["idempotency-key"] = crypto.randomUUID();
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect({ path, status: res.status, text: res.status === status ? "" : text }).toEqual({
    path,
    status,
    text: "",
  });
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}
