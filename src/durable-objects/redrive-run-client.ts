import type { RedriveRun, RedriveRunCommand } from "../flows/ops/redrive-runs";
import type { StartRun } from "./redrive-run";

export type RedriveRunOutcome =
  | { ok: true; run: RedriveRun }
  | { ok: false; reason: string; run: RedriveRun };

/**
 * One redrive run's Durable Object (`idFromName(runId)`), with the calls routes and tests make. Its
 * answers are typed as the run: RPC's types only widen the position tuple to an array.
 *
 * @example
 * const run = await redriveRun(c.env, id).view(); // null for an id that never started
 */
export function redriveRun(env: Pick<Env, "REDRIVE_RUNS">, id: string) {
  const stub = env.REDRIVE_RUNS.get(env.REDRIVE_RUNS.idFromName(id));
  return {
    start: async (input: StartRun, now: number) => (await stub.start(input, now)) as RedriveRun,
    view: async () => (await stub.view()) as RedriveRun | null,
    /** Null for an unknown run. */
    command: async (command: RedriveRunCommand, now: number) =>
      (await stub.command(command, now)) as RedriveRunOutcome | null,
    /** Runs the next batch if it is due at `now` (the alarm passes the wall clock). */
    tick: async (now: number) => (await stub.tick(now)) as RedriveRun | null,
  };
}
