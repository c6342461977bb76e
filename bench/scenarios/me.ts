import type { Scenario } from "./types";

/** GET /v1/me: bearer parsing, SHA-256, one indexed join on D1, a small JSON body. */
export const me: Scenario = {
  name: "me",
  summary: "GET /v1/me with a live session token (sha256, sessions ⋈ users on D1)",
  floor: {
    target: { bound: "at least", value: 0.85 },
    why: "the floor runs the same single lookup, so it is the same-SQL baseline less drizzle's binding; 0.85× leaves crossdock the 0.9× framework allowance and a little for that",
  },
  async setup({ fixtures }) {
    const sessions = await fixtures.sessions();
    return sessions.map(({ token }) => ({
      method: "GET",
      path: "/v1/me",
      headers: { authorization: `Bearer ${token}` },
    }));
  },
};
