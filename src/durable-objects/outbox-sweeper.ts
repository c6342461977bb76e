import { DurableObject } from "cloudflare:workers";
import { metered } from "../platform/costs/meter";
import { meteredEnv } from "../platform/costs/metered-env";
import { reconcileDeliveries } from "../platform/events/reconciler";
import { RELAY_GRACE_MS, sweepOutbox } from "../platform/events/sweeper";
import { createLogger } from "../platform/observability/logger";

// The backbone's own upkeep.
const SCOPE = { flow: "platform" };

/** Never wake sooner than this after a pass: under steady load there is always a fact coming due. */
const MIN_INTERVAL_MS = 5_000;

/**
 * Keeps every committed fact moving without waiting for the cron (or locally, where `wrangler dev`
 * runs none, and after a restart): each commit arms it (see `armOutboxSweeper`), and each wake-up
 * publishes what the relay left behind, runs the delivery reconciler, then re-arms for the moment the
 * next fact or delivery comes due. There is one instance; it holds no state but its alarm.
 */
export class OutboxSweeper extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
  }

  /** Sets the alarm unless one is already due sooner; returns when it will fire. */
  async arm(delayMs = RELAY_GRACE_MS + 1_000): Promise<number> {
    const at = Date.now() + delayMs;
    const current = await this.ctx.storage.getAlarm();
    if (current !== null && current <= at) return current;
    await this.ctx.storage.setAlarm(at);
    return at;
  }

  override async alarm(): Promise<void> {
    await metered(SCOPE, "doRequests", () => this.sweep());
  }

  private async sweep(): Promise<void> {
    const log = createLogger({ component: "outbox-sweeper" });
    const now = Date.now();
    const swept = await sweepOutbox(this.env, now);
    const reconciled = await reconcileDeliveries(this.env, Date.now(), log);
    const next = [swept.nextDueAt, reconciled.nextDueAt].filter((t): t is number => t !== null);
    if (next.length > 0) await this.arm(Math.max(MIN_INTERVAL_MS, Math.min(...next) - Date.now()));
  }
}
