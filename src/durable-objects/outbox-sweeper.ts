import { DurableObject } from "cloudflare:workers";
import { RELAY_GRACE_MS, sweepOutbox } from "../platform/events/sweeper";

/**
 * Retry soon, but not in a tight loop against a queue that is down. The sweep only takes rows older
 * than the relay's grace period, so waking any sooner would find nothing and never re-arm.
 */
const RETRY_DELAY_MS = RELAY_GRACE_MS + 1_000;

/**
 * Wakes the sweeper a few seconds after the relay failed to publish, so a backlog clears without
 * waiting for the next cron tick (and locally, where `wrangler dev` runs no cron by itself). There is
 * one instance; it holds no state but its alarm.
 */
export class OutboxSweeper extends DurableObject<Env> {
  /** Sets the alarm unless one is already due sooner. */
  async arm(delayMs = RETRY_DELAY_MS): Promise<void> {
    const at = Date.now() + delayMs;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  override async alarm(): Promise<void> {
    const { remaining } = await sweepOutbox(this.env, Date.now());
    if (remaining > 0) await this.arm();
  }
}

/** Asks the sweeper to run soon. */
export const armOutboxSweeper = (env: Pick<Env, "OUTBOX_SWEEPER">) =>
  env.OUTBOX_SWEEPER.get(env.OUTBOX_SWEEPER.idFromName("outbox")).arm();
