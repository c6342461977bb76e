import type { Clock } from "../clock";
import type { Consumer, ConsumerContext } from "../events/consumer";
import type { EventEnvelope } from "../events/envelope";
import { sendToConsumer } from "../events/fan-out";
import type { ConsumerName } from "../events/registry";
import type { CurrentEvent } from "../events/upcast";
import { errorFields, type Logger } from "../observability/logger";
import { activeFaults, faultsEnabled, recordInjections } from "./client";
import {
  type ConsumerFault,
  consumerFaults,
  faultCopy,
  InjectedFault,
  isFaultCopy,
  isPoisoned,
} from "./model";

/** How often a held batch looks whether its pause has ended. */
export const PAUSE_POLL_MS = 1000;

/**
 * The longest a pause holds one batch: below the 15 minutes of wall clock a queue consumer invocation
 * gets in production, so the invocation ends on our terms. At the cap the batch is retried, which
 * counts an attempt towards max_retries; a pause longer than the cap therefore costs each held
 * message one attempt per 10 minutes.
 */
export const PAUSE_CAP_MS = 10 * 60_000;

export interface FaultDeps {
  clock: Clock;
  /** A draw in [0, 1) for failure-rate faults. */
  random: () => number;
}

type Faults = ReturnType<typeof consumerFaults>;

/**
 * The faults that strike one consumer's batch: read once per batch (see `activeFaults`), applied by the
 * consumer runtime at its three moments — before any handler runs (pause), around each handler
 * (latency, poison, failure-rate) and after the acks (duplicate) — and counted once, at the end of the
 * batch. Every injection is logged as `fault.injected` with `injected: true`.
 */
export class BatchFaults {
  private readonly counts = new Map<string, number>();

  private constructor(
    private readonly env: Env,
    private readonly consumer: ConsumerName,
    private faults: Faults,
    private readonly log: Logger,
    private readonly deps: FaultDeps,
  ) {}

  /**
   * The faults striking `consumer` now, or null when fault injection is off (no store call at all)
   * or none applies.
   */
  static async read(env: Env, consumer: ConsumerName, log: Logger, deps: FaultDeps) {
    if (!faultsEnabled(env)) return null;
    const now = deps.clock.now();
    const faults = consumerFaults(await activeFaults(env, now), consumer, now);
    return Object.keys(faults).length === 0 ? null : new BatchFaults(env, consumer, faults, log, deps);
  }

  private strike(fault: ConsumerFault, eventId: string, fields: Record<string, unknown> = {}) {
    this.counts.set(fault.id, (this.counts.get(fault.id) ?? 0) + 1);
    this.log.warn("fault.injected", {
      faultId: fault.id,
      kind: fault.kind,
      consumer: this.consumer,
      eventId,
      injected: true,
      ...fields,
    });
  }

  /**
   * Holds the batch, un-acked and without running a handler, while a pause is active, looking again
   * every PAUSE_POLL_MS. Resolves true when the batch may be processed (no pause, or it ended) and
   * false when the hold reached PAUSE_CAP_MS and the batch must be retried.
   */
  async hold(events: readonly CurrentEvent[]): Promise<boolean> {
    const pause = this.faults.pause;
    if (!pause || events.length === 0) return true;
    for (const e of events) this.strike(pause, e.id, { messages: events.length });
    const { clock } = this.deps;
    const since = clock.now();
    for (;;) {
      if (clock.now() - since >= PAUSE_CAP_MS) return false;
      await clock.sleep(PAUSE_POLL_MS);
      // The pause may have ended and others begun meanwhile: what follows uses the faults of now. If
      // the store cannot be read, the batch stays held as it was (the cap still bounds it).
      const now = clock.now();
      const faults = await activeFaults(this.env, now).catch((err) => {
        this.log.error("fault.read-failed", errorFields(err));
        return null;
      });
      if (faults) this.faults = consumerFaults(faults, this.consumer, now);
      if (!this.faults.pause) return true;
    }
  }

  /** The error a batch is retried with when its pause hit the cap. */
  pauseCapError(): InjectedFault {
    return new InjectedFault(
      this.faults.pause?.id ?? "unknown",
      "pause",
      `pause held the batch for ${PAUSE_CAP_MS / 1000} s, the cap; retried, which counts as an attempt`,
    );
  }

  /**
   * The consumer with its handler behind the per-delivery faults: latency waits before the handler;
   * poison (the events its hash picks) and failure-rate (a draw) throw an InjectedFault instead of
   * running it, so the delivery is retried as any failure is.
   */
  wrap<C extends Consumer>(consumer: C): C {
    const handle = consumer.handle.bind(consumer) as (e: CurrentEvent, ctx: ConsumerContext) => unknown;
    return {
      ...consumer,
      handle: async (event: CurrentEvent, ctx: ConsumerContext) => {
        await this.beforeHandler(event);
        return handle(event, ctx);
      },
    } as C;
  }

  private async beforeHandler(event: CurrentEvent) {
    const { latency, poison } = this.faults;
    const failure = this.faults["failure-rate"];
    if (latency) {
      this.strike(latency, event.id, { latencyMs: latency.latencyMs });
      await this.deps.clock.sleep(latency.latencyMs);
    }
    if (poison && isPoisoned(event.id, poison.rate)) {
      this.strike(poison, event.id);
      throw new InjectedFault(
        poison.id,
        "poison",
        "poison fault picked this message; it fails every attempt",
      );
    }
    if (failure && this.deps.random() < failure.rate) {
      this.strike(failure, event.id);
      throw new InjectedFault(failure.id, "failure-rate", `failure-rate fault (rate ${failure.rate})`);
    }
  }

  /**
   * Sends each acknowledged message once more to this consumer's own queue, marked as the fault's copy
   * (FAULT_COPY_ATTRIBUTE) so that the copy, answered `duplicate` by the consumer's dedup, is never
   * copied again. A copy that cannot be sent is logged and not counted.
   */
  async duplicate(acked: readonly { body: unknown; event: CurrentEvent }[]) {
    const fault = this.faults.duplicate;
    if (!fault) return;
    const originals = acked.filter(
      (a) => typeof a.body === "object" && a.body !== null && !isFaultCopy(a.body),
    );
    if (originals.length === 0) return;
    const copies = originals.map((a) => faultCopy(a.body as object, fault.id) as unknown as EventEnvelope);
    const failed = await sendToConsumer(this.env, this.consumer, copies);
    for (const a of originals) {
      const error = failed.get(a.event.id);
      if (error === undefined) this.strike(fault, a.event.id);
      else this.log.error("fault.duplicate-failed", { faultId: fault.id, eventId: a.event.id, error });
    }
  }

  /** Adds this batch's injections to the faults' counters: one store call per batch, if any struck. */
  report(): Promise<void> {
    return recordInjections(this.env, this.counts, this.log);
  }
}
