/**
 * The worker's cron triggers, run on this machine: `wrangler dev` never fires them, so a local runtime
 * would never sweep its outbox, evaluate alerts or resume stuck orders. Each expression is fired on its
 * real schedule (UTC, as Cloudflare runs them) through `wrangler dev --test-scheduled`'s
 * `GET /__scheduled?cron=<expr>`; the crons that run every minute (maintenance) are also fired once as
 * soon as the server answers, so a restarted process recovers at once instead of at the next minute.
 */
import { Cron } from "croner";

/** Cloudflare evaluates cron triggers in UTC, whatever this machine's time zone. */
const UTC = "UTC";

/** The next `n` times `expr` fires after `from`. */
export function nextRuns(expr: string, from: Date, n: number): Date[] {
  return new Cron(expr, { timezone: UTC, paused: true }).nextRuns(n, from);
}

/**
 * The expressions that fire at least once a minute: the ones worth firing at start. Judged over a day
 * of runs from a fixed instant, so the answer never depends on when it is asked.
 */
export function firedAtStart(crons: readonly string[]): string[] {
  const from = new Date(Date.UTC(2024, 0, 1));
  return crons.filter((expr) => {
    const runs = nextRuns(expr, from, 24 * 60 + 1);
    if (runs.length < 2 || runs[0]!.getTime() - from.getTime() > 60_000) return false;
    return runs.every((run, i) => i === 0 || run.getTime() - runs[i - 1]!.getTime() <= 60_000);
  });
}

export interface CronLog {
  /** One line per cron fired: shown only when asked for (LOG_LEVEL=debug for `npm start`). */
  debug(line: string): void;
  /** A cron the worker failed, or could not be reached for. */
  warn(line: string): void;
}

export interface CronDriverOptions {
  /** The expressions, as in wrangler.toml `[triggers] crons`. */
  crons: readonly string[];
  /** Where `wrangler dev --test-scheduled` listens, e.g. http://127.0.0.1:8787. */
  origin: string;
  log: CronLog;
  fetch?: typeof fetch;
  /** How long to wait for the server to answer the first time before giving up the start-up run. */
  readyTimeoutMs?: number;
  /** Pause between attempts while the server does not answer yet. */
  retryMs?: number;
}

export interface CronDriver {
  /** Fires one expression now; true when the worker's scheduled handler succeeded. */
  fire(expr: string): Promise<boolean>;
  /** Settles once the start-up run is over: the every-minute crons fired (or the server never answered). */
  readonly started: Promise<void>;
  /** Stops every schedule (idempotent). */
  stop(): void;
}

/**
 * Fires each cron on its schedule against a local `wrangler dev --test-scheduled`, and the every-minute
 * ones once as soon as the server answers. A run still going when its next is due is skipped (croner's
 * `protect`), as a slow cron on Cloudflare does not run twice at once.
 *
 * @example
 * const crons = startCronDriver({ crons: ["* * * * *"], origin: "http://127.0.0.1:8787", log });
 * await crons.started; // maintenance has run once
 * crons.stop();
 */
export function startCronDriver(o: CronDriverOptions): CronDriver {
  const get = o.fetch ?? fetch;
  let stopped = false;
  /** Whether the server has answered yet: before it has, a refused connection is only the boot. */
  let answered = false;
  const call = (expr: string) => get(`${o.origin}/__scheduled?cron=${encodeURIComponent(expr)}`);
  const report = async (expr: string, res: Response): Promise<boolean> => {
    answered = true;
    await res.body?.cancel();
    if (res.ok) o.log.debug(`cron "${expr}" fired`);
    else o.log.warn(`cron "${expr}" failed: HTTP ${res.status} from /__scheduled`);
    return res.ok;
  };
  const fire = async (expr: string): Promise<boolean> => {
    try {
      return await report(expr, await call(expr));
    } catch (err) {
      o.log[answered ? "warn" : "debug"](
        `cron "${expr}" could not reach ${o.origin}: ${(err as Error).message}`,
      );
      return false;
    }
  };
  const jobs = o.crons.map(
    (expr) => new Cron(expr, { timezone: UTC, protect: true }, async () => void (await fire(expr))),
  );

  // Until the server answers, a refused connection only means "not up yet": retry quietly.
  const fireWhenUp = async (expr: string, deadline: number): Promise<void> => {
    while (!stopped) {
      try {
        await report(expr, await call(expr));
        return;
      } catch (err) {
        if (Date.now() >= deadline) {
          o.log.warn(
            `cron "${expr}" not fired at start: ${o.origin} did not answer (${(err as Error).message})`,
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, o.retryMs ?? 250));
      }
    }
  };
  const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
  const started = (async () => {
    for (const expr of firedAtStart(o.crons)) await fireWhenUp(expr, deadline);
  })();

  return {
    fire,
    started,
    stop() {
      stopped = true;
      for (const job of jobs) job.stop();
    },
  };
}
