import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { redriveRun } from "../../durable-objects/redrive-run-client";
import { countWaiting } from "../../flows/ops/redrive";
import type { RedriveRun, RedriveRunCommand } from "../../flows/ops/redrive-runs";
import { getDb } from "../../platform/db/client";
import { ConflictError, NotFoundError, UnprocessableError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { newId } from "../../platform/ids";
import {
  type getRedriveRunRoute,
  type RedriveRunInput,
  type redriveRunCommandRoute,
  type startRedriveRunRoute,
  toRedriveRunView,
} from "./redrive-runs.routes";

type Ctx = Context<AppEnv>;

export const redriveRunPath = (id: string) => `/ops/redrive-runs/${id}`;

/**
 * Starts a run over the dead letters `input` scopes (the API's and the console's): 422
 * `nothing-to-redrive` when none is waiting, so an operator learns at once that the filter is off.
 */
export async function startRedriveRun(c: Ctx, input: RedriveRunInput): Promise<RedriveRun> {
  const { batchSize, ratePerSecond, ...scope } = input;
  const total = await countWaiting(getDb(c.env.DB), scope);
  if (total === 0) {
    throw new UnprocessableError("No dead letter is waiting in that scope.", "nothing-to-redrive", { scope });
  }
  const now = c.var.clock.now();
  const id = newId("rdr", now);
  const startedBy = principalOf(c).user.email;
  const run = await redriveRun(c.env, id).start(
    { id, scope, batchSize, ratePerSecond, total, startedBy },
    now,
  );
  c.get("log").info("redrive-run.started", { runId: id, scope, batchSize, ratePerSecond, total });
  return run;
}

/** @throws NotFoundError for an id that never started. */
export async function findRedriveRun(env: Pick<Env, "REDRIVE_RUNS">, id: string): Promise<RedriveRun> {
  const run = await redriveRun(env, id).view();
  if (!run) throw new NotFoundError("redrive run", id);
  return run;
}

/** Pause, resume or cancel: 404 unknown, 409 `redrive-run-state` when its state does not allow it. */
export async function commandRedriveRun(c: Ctx, id: string, command: RedriveRunCommand): Promise<RedriveRun> {
  const outcome = await redriveRun(c.env, id).command(command, c.var.clock.now());
  if (!outcome) throw new NotFoundError("redrive run", id);
  if (!outcome.ok) throw new ConflictError(outcome.reason, "redrive-run-state", { state: outcome.run.state });
  c.get("log").info(`redrive-run.${command}`, { runId: id, state: outcome.run.state });
  return outcome.run;
}

export const startRedriveRunHandler: RouteHandler<typeof startRedriveRunRoute, AppEnv> = async (c) => {
  const run = await startRedriveRun(c, c.req.valid("json"));
  c.header("Location", redriveRunPath(run.id));
  return c.json(toRedriveRunView(run), 202);
};

export const getRedriveRunHandler: RouteHandler<typeof getRedriveRunRoute, AppEnv> = async (c) =>
  c.json(toRedriveRunView(await findRedriveRun(c.env, c.req.valid("param").id)), 200);

/** The handler of `POST …/{id}/<command>`. */
export const redriveRunCommandHandler =
  <C extends RedriveRunCommand>(
    command: C,
  ): RouteHandler<ReturnType<typeof redriveRunCommandRoute<C>>, AppEnv> =>
  async (c) =>
    c.json(toRedriveRunView(await commandRedriveRun(c, c.req.valid("param").id, command)), 200);
