import type { Db } from "../db/client";
import type { Logger } from "../observability/logger";
import type { ConsumerName, EventType } from "./registry";
import type { CurrentEvent } from "./upcast";

/** What a handler gets besides the event: bindings, a logger bound to the event, injected time. */
export interface ConsumerContext {
  env: Env;
  db: Db;
  /**
   * Where a D1 consumer's effects commit: the shard its `shardKey` names (src/platform/db/shards.ts),
   * or `db` itself for a consumer that is not sharded. Build the returned statements on this one; read
   * the global tables through `db`.
   */
  shard: Db;
  log: Logger;
  now: number;
  attempt: number;
  /** True when an earlier attempt's lease ran out mid-effect, so the effect may already have happened. */
  reclaimed: boolean;
  /**
   * Runs `task` once the handler's effect has committed (never if it did not), e.g. to relay the events
   * a D1 consumer wrote to the outbox in its batch. A failing task is logged, not retried: the outbox
   * sweeper publishes whatever it did not.
   */
  afterCommit(task: () => Promise<void>): void;
}

/** One statement of a D1 batch, as drizzle builds it. */
export type D1Statement = Parameters<Db["batch"]>[0][number];

/**
 * A consumer whose effect is writes to D1. It returns the statements instead of running them; the
 * runtime commits them in one batch with the dedup row, so an effect and "this event is done" land
 * together or not at all, and a redelivery finds the dedup row and is skipped.
 */
export interface D1Consumer<T extends EventType = EventType> {
  name: ConsumerName;
  effect: "d1";
  /**
   * For a consumer whose table is sharded: the key (a buyer id, a merchant id) whose shard holds the
   * event's rows. The effect and its dedup row then commit together in that shard; the delivery
   * ledger's ack still lands in the global database, as an external consumer's does.
   */
  shardKey?(event: CurrentEvent<T>): string;
  handle(event: CurrentEvent<T>, ctx: ConsumerContext): Promise<D1Statement[]> | D1Statement[];
}

/**
 * A consumer whose effect leaves the system (an email, a provider call, another Durable Object).
 * By default the runtime claims the event id in the dedup store with a lease before the effect and
 * marks it done after, so a duplicate delivery is skipped and a crash mid-effect is retried once the
 * lease (renewed while the effect runs) runs out, never silently. Handlers should also pass the event id to the provider as its
 * idempotency key.
 */
interface ExternalConsumerBase<T extends EventType> {
  name: ConsumerName;
  effect: "external";
  /**
   * How many of a batch's messages are handled at once (default 1: one after another, in order). Only
   * for consumers whose messages are independent of each other, e.g. one Durable Object per message.
   */
  concurrency?: number;
  handle(event: CurrentEvent<T>, ctx: ConsumerContext): Promise<void>;
}

/** Deduplicated by the runtime through the DedupStore (the default). */
interface DedupStoreDeduped {
  dedup?: "dedup-store";
  /**
   * How long a claim holds the event without being renewed. The runtime renews it every third of this
   * while the effect runs, so it bounds not the effect's length but how long a delivery that died
   * mid-effect blocks the next one: after that the next delivery takes the event over (`reclaimed`).
   */
  leaseMs: number;
}

/**
 * Deduplicated by the effect itself: it is idempotent on a key of its own that never expires, e.g. one
 * Durable Object per order whose `start` does nothing once started. The DedupStore's claim and
 * completion would add two Durable Object calls per message and protect nothing more, so the runtime
 * runs the effect on every delivery, duplicates included, and records each as acked.
 */
interface EffectDeduped {
  dedup: "effect";
}

export type ExternalConsumer<T extends EventType = EventType> = ExternalConsumerBase<T> &
  (DedupStoreDeduped | EffectDeduped);

export type Consumer = D1Consumer | ExternalConsumer;
