import { DurableObject } from "cloudflare:workers";
import { redriveNext } from "../flows/ops/redrive";
import {
  afterBatch,
  afterBatchError,
  control,
  isDue,
  newRun,
  type RedriveRunCommand,
  type RedriveRun as Run,
} from "../flows/ops/redrive-runs";
import { metered } from "../platform/costs/meter";
import { meteredEnv } from "../platform/costs/metered-env";
import { getDb } from "../platform/db/client";
import { createLogger, errorFields } from "../platform/observability/logger";

// Operator recovery work, billed to the platform like the other ops tooling.
const SCOPE = { flow: "platform" };
const KEY = "run";

export type StartRun = Parameters<typeof newRun>[0];

/**
 * One redrive run (`idFromName(runId)`): its state in this object's storage, one alarm per batch.
 * Storage and alarms outlive a crash or an eviction, so a run picks up where it stopped: the alarm
 * fires again and the batch starts after the last position stored. Everything goes through one queue
 * (`serial`), so a pause or cancel never interleaves with a batch in flight and two wake-ups never run
 * the same batch. The time is passed in (the alarm passes the wall clock), so tests drive the rate.
 *
 * Routes reach it through `redriveRun` (redrive-run-client.ts).
 *
 * A letter is redriven once per run: each batch takes letters after the stored position, and a letter
 * sent is marked redriven in D1 before the position moves, so a crash between the two finds it no
 * longer dead (the redrive's own crash window, sent but not yet marked, is `sendRedrives`').
 */
export class RedriveRun extends DurableObject<Env> {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private load = () => this.ctx.storage.get<Run>(KEY);

  private async save(run: Run): Promise<Run> {
    await this.ctx.storage.put(KEY, run);
    if (run.nextBatchAt === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(run.nextBatchAt);
    return run;
  }

  /** Starts the run (its first batch at `now`); a second start of the same id returns the first. */
  start(input: StartRun, now: number): Promise<Run> {
    return this.serial(async () => (await this.load()) ?? this.save(newRun(input, now)));
  }

  /** The run as stored; null for an id that never started. */
  async view(): Promise<Run | null> {
    return (await this.load()) ?? null;
  }

  /** Pause, resume or cancel: the run as it now is, or why not (null for an unknown run). */
  command(
    command: RedriveRunCommand,
    now: number,
  ): Promise<{ ok: true; run: Run } | { ok: false; reason: string; run: Run } | null> {
    return this.serial(async () => {
      const run = await this.load();
      if (!run) return null;
      const next = control(run, command, now);
      return next.ok ? { ok: true, run: await this.save(next.run) } : { ...next, run };
    });
  }

  /** Runs the next batch if one is due at `now`; the run as it then is. */
  tick(now: number): Promise<Run | null> {
    return this.serial(async () => {
      const run = await this.load();
      if (!run || !isDue(run, now)) return run ?? null;
      try {
        const batch = await redriveNext(
          getDb(this.env.DB),
          this.env,
          run.scope,
          run.position,
          run.batchSize,
          now,
        );
        return await this.save(afterBatch(run, batch, now));
      } catch (err) {
        createLogger({ component: "redrive-run" }).error("redrive-run.batch-failed", {
          runId: run.id,
          ...errorFields(err),
        });
        return this.save(afterBatchError(run, String(err), now));
      }
    });
  }

  override async alarm(): Promise<void> {
    await metered(SCOPE, "doRequests", () => this.tick(Date.now()));
  }
}
