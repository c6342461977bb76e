import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import overhead from "../../../bench/overhead-worker";

/**
 * bench/overhead.ts prices crossdock's code by running `GET /v1/me` against an in-memory D1 stand-in.
 * The figure means something only while both paths really answer 200 through it: a change to how
 * crossdock reads a session that the stand-in does not follow must fail here, not measure a 401.
 */
const loop = async (which: "crossdock" | "same-sql", n: number) => {
  const ctx = createExecutionContext();
  const res = await overhead.fetch(
    new Request(`http://localhost/__overhead?n=${n}&which=${which}`) as Request<
      unknown,
      IncomingRequestCfProperties
    >,
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return (await res.json()) as { ok: number };
};

describe("bench/overhead-worker: the session lookup answered in memory", () => {
  it.each(["crossdock", "same-sql"] as const)("answers every %s call with the user, 200", async (which) => {
    expect(await loop(which, 5)).toEqual({ ok: 5 });
  });

  it("passes every other request to crossdock unchanged", async () => {
    const ctx = createExecutionContext();
    const res = await overhead.fetch(
      new Request("http://localhost/health") as Request<unknown, IncomingRequestCfProperties>,
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
  });
});
