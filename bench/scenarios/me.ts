import type { Scenario } from "./types";

/** GET /v1/me: bearer parsing, SHA-256, one indexed join on D1, a small JSON body. */
export const me: Scenario = {
  name: "me",
  summary: "GET /v1/me with a live session token (sha256, sessions ⋈ users on D1)",
  async setup({ fixtures }) {
    const sessions = await fixtures.sessions();
    return sessions.map(({ token }) => ({
      method: "GET",
      path: "/v1/me",
      headers: { authorization: `Bearer ${token}` },
    }));
  },
};
