import { DurableObject } from "cloudflare:workers";
import { Hono } from "hono";
import {
  type Actor,
  ActorSchema,
  alarmAt,
  DEFAULT_SAGA_POLICY,
  type Decision,
  decide,
  evolveAll,
  isPublished,
  type OrderDetails,
  OrderDetailsSchema,
  type OrderSagaState,
  type SagaMessage,
  type StepCommand,
} from "../../flows/checkout";
import { runStep } from "../../flows/checkout/run-step";
import { type Backoff, backoffCeiling } from "../../platform/backoff";
import { metered } from "../../platform/costs/meter";
import { meteredEnv } from "../../platform/costs/metered-env";
import { getDb } from "../../platform/db/client";
import type { EventEnvelope } from "../../platform/events/envelope";
import { publishNow } from "../../platform/events/publish";
import { lastSeenVersion } from "../../platform/http/event-stream";
import { createLogger, errorFields, type Logger } from "../../platform/observability/logger";
import { envelopesFor, type SagaCause, type SagaTrace, traceFrom, writeOrderRecord } from "./d1-record";
import { StatusStreams } from "./status-streams";
import { type OrderView, orderView, type SagaInspection, sagaInspection } from "./view";

// What runs outside a caller's scope (alarms, work after an RPC returns) is checkout's.
const SCOPE = { flow: "checkout" };

export type { SagaCause } from "./d1-record";
export type { OrderView, SagaInspection, StepView } from "./view";

/** Everything the object stores, under one key so every transition is one atomic put. */
interface SagaRecord {
  state: OrderSagaState;
  /** The step command issued and not yet answered: the alarm runs it (again, after a restart). */
  toRun: StepCommand | null;
  /** Facts recorded here and not yet committed to D1's outbox, oldest first. */
  unsynced: EventEnvelope[];
  /** The state version D1's `orders` row is known to hold. */
  d1Version: number;
  trace: SagaTrace;
}

export type RequestOutcome = { ok: true; view: OrderView } | { ok: false; reason: string; message: string };

const KEY = "saga";
/** After failed D1 writes the next try waits 500 ms, then twice as long each time, at most a minute. */
const D1_RETRY_BACKOFF: Backoff = { base: 500, cap: 60_000 };

/** Steps one wake-up runs back to back: the forward path and a compensation or two, not an endless loop. */
const MAX_STEPS_PER_WAKEUP = 8;

const sameRun = (a: StepCommand, b: StepCommand) =>
  a.idempotencyKey === b.idempotencyKey && a.attempt === b.attempt;
const runKey = (c: StepCommand) => `${c.idempotencyKey}#${c.attempt}`;

/**
 * One order's checkout saga (docs/ARCHITECTURE.md, "Checkout saga"); `idFromName(orderId)`. A thin
 * shell around the pure `decide`/`evolve`: each message is decided, the new state persisted, and the
 * alarm armed. Step commands never run inside an RPC call: the alarm runs them, one per wake-up, so
 * `start`/`cancel` answer at once and an evicted object resumes where its storage says it was. A
 * wake-up runs the command issued, then each command its answer issues (up to MAX_STEPS_PER_WAKEUP),
 * so the forward path costs one alarm, not one per step.
 *
 * Durability: this object's storage is the saga's state of record. D1 follows it: after each
 * transition the alarm writes the `orders` row (guarded by `version <`) and the transition's facts to
 * the outbox in one `db.batch`, then relays them. If that write fails, the facts stay in `unsynced`
 * and `d1Version` lags behind the state's version, so the next alarm (armed with backoff) writes the
 * latest row and every fact still missing, idempotently, until D1 has caught up.
 *
 * @example
 * const saga = env.ORDER_SAGA.get(env.ORDER_SAGA.idFromName(orderId));
 * await saga.start(order); // { started: true }
 * await saga.cancel({ userId, role: "buyer" }); // { ok: true, view } or { ok: false, reason, message }
 */
export class OrderSaga extends DurableObject<Env> {
  private record: SagaRecord | null = null;
  /** Commands running in this instance; lost on eviction, which is when they must run again. */
  private readonly running = new Set<string>();
  private readonly streams = new StatusStreams();
  private d1Failures = 0;
  private log: Logger = createLogger({ component: "order-saga" });

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env, SCOPE));
    void ctx.blockConcurrencyWhile(async () => {
      this.record = (await ctx.storage.get<SagaRecord>(KEY)) ?? null;
      if (this.record) {
        this.log = this.log.child({ orderId: this.record.state.orderId });
        // A restart forgets what was running: run it again now (effects are idempotent) instead of
        // waiting for its deadline.
        await this.arm();
      }
    });
  }

  /**
   * Starts the saga for an order; a second call (a redelivered `order.placed`, or the stuck-order
   * nudge) changes nothing but re-arms the alarm, so a saga whose wake-up was lost moves on.
   */
  async start(order: OrderDetails, cause?: SagaCause): Promise<{ started: boolean }> {
    if (this.record) {
      await this.arm();
      return { started: false };
    }
    const details = OrderDetailsSchema.parse(order);
    this.log = this.log.child({ orderId: details.orderId });
    const decision = this.apply({ type: "OrderPlaced", order: details }, traceFrom(details.orderId, cause));
    await this.save();
    await this.arm();
    return { started: decision.events.length > 0 };
  }

  async view(): Promise<OrderView | null> {
    return this.record ? orderView(this.record.state) : null;
  }

  /** For operators (the console): what the saga waits for, its undo stack, its payment; read only. */
  async inspect(): Promise<SagaInspection | null> {
    const r = this.record;
    return r ? sagaInspection(r.state, { d1Version: r.d1Version, unsynced: r.unsynced.length }) : null;
  }

  /** Cancels while the order can still be cancelled; rejections say why (`too-late`, …). */
  cancel(by: Actor, note?: string): Promise<RequestOutcome> {
    return this.request({ type: "CancelRequested", by: ActorSchema.parse(by), note });
  }

  /** Refunds a confirmed, captured order, once. */
  refund(by: Actor): Promise<RequestOutcome> {
    return this.request({ type: "RefundRequested", by: ActorSchema.parse(by) });
  }

  /** `GET …/stream`: the order's status as Server-Sent Events (see StatusStreams). */
  private readonly http = new Hono().get("*", (c) => {
    if (!c.req.path.endsWith("/stream")) return c.text("Not found", 404);
    if (!this.record) return c.text("No such order", 404);
    return this.streams.open(c, this.record.state, lastSeenVersion(c.req.header("last-event-id")));
  });

  override async fetch(request: Request): Promise<Response> {
    return this.http.fetch(request);
  }

  override async alarm(): Promise<void> {
    await metered(SCOPE, "doRequests", () => this.wake());
  }

  private async wake(): Promise<void> {
    if (!this.record) return;
    this.apply({ type: "AlarmFired" });
    await this.save();
    await this.syncD1();
    // A step that succeeds issues the next: run it in this wake-up rather than a new alarm's. The alarm
    // stays the safety net: each run arms it at the command's deadline, and a restart re-runs `toRun`.
    for (let steps = 0; steps < MAX_STEPS_PER_WAKEUP; steps++) {
      const command = this.record.toRun;
      if (!command || this.running.has(runKey(command))) break;
      await this.run(command);
    }
    await this.arm();
  }

  private async request(message: SagaMessage): Promise<RequestOutcome> {
    const decision = this.apply(message);
    if (decision.rejected) return { ok: false, ...decision.rejected };
    await this.save();
    await this.arm();
    return { ok: true, view: orderView(this.record!.state) };
  }

  private async run(command: StepCommand): Promise<void> {
    this.running.add(runKey(command));
    try {
      // If this instance dies mid-step, the alarm still fires at the deadline and decide times it out.
      await this.arm();
      const answer = await runStep(this.env, command, this.record!.state, Date.now());
      if (answer.type === "StepFailed")
        this.log.warn("order-saga.step-failed", {
          step: command.step,
          attempt: command.attempt,
          ...answer.error,
        });
      const decision = this.apply(answer);
      if (decision.rejected) this.log.error("order-saga.answer-rejected", { ...decision.rejected });
      const r = this.record!;
      if (r.toRun && sameRun(r.toRun, command)) this.record = { ...r, toRun: null };
      await this.save();
      await this.syncD1();
    } finally {
      this.running.delete(runKey(command));
    }
  }

  /**
   * Decides `message` against the current state and, unless it changed nothing, replaces the record.
   * Synchronous from read to write, so calls interleaving at an await (an RPC during a gateway call)
   * always decide on the latest state; `save()` then makes it durable.
   */
  private apply(message: SagaMessage, initialTrace?: SagaTrace): Decision {
    const current = this.record;
    const ctx = { now: Date.now(), random: Math.random, policy: DEFAULT_SAGA_POLICY };
    const decision = decide(current?.state ?? null, message, ctx);
    if (decision.rejected || decision.events.length === 0) return decision;
    const state = evolveAll(current?.state ?? null, decision.events);
    const trace = current?.trace ?? initialTrace;
    if (!state || !trace) throw new Error("order-saga: a transition without an order");
    const published = envelopesFor(state.orderId, decision.events.filter(isPublished), trace);
    const issued = decision.commands.filter((c): c is StepCommand => c.type !== "ScheduleRetry").at(-1);
    const pending = state.pending;
    const stillPending = (c: StepCommand) =>
      pending !== null && pending.retryAt === null && sameRun(pending.command, c);
    const kept = current?.toRun && stillPending(current.toRun) ? current.toRun : null;
    this.record = {
      state,
      toRun: issued ?? kept,
      unsynced: [...(current?.unsynced ?? []), ...published.envelopes],
      d1Version: current?.d1Version ?? 0,
      trace: published.trace,
    };
    this.streams.publish(state);
    return decision;
  }

  private async save(): Promise<void> {
    if (this.record) await this.ctx.storage.put(KEY, this.record);
  }

  /** Brings D1 up to the stored state (see the class comment), then relays what it wrote. */
  private async syncD1(): Promise<void> {
    const snapshot = this.record;
    if (!snapshot || (snapshot.d1Version >= snapshot.state.version && snapshot.unsynced.length === 0)) return;
    try {
      await writeOrderRecord(getDb(this.env.DB), snapshot.state, snapshot.unsynced);
      this.d1Failures = 0;
    } catch (err) {
      this.d1Failures++;
      this.log.error("order-saga.d1-write-failed", { failures: this.d1Failures, ...errorFields(err) });
      return;
    }
    const written = new Set(snapshot.unsynced.map((e) => e.id));
    const latest = this.record!;
    this.record = {
      ...latest,
      d1Version: Math.max(latest.d1Version, snapshot.state.version),
      unsynced: latest.unsynced.filter((e) => !written.has(e.id)),
    };
    await this.save();
    if (snapshot.unsynced.length > 0) this.ctx.waitUntil(publishNow(this.env, snapshot.unsynced, this.log));
  }

  /**
   * The next wake-up: now when a command waits to run or D1 lags (with backoff after failures), else
   * the saga's own `alarmAt` (a deadline or a retry); no alarm when nothing is left to do.
   */
  private async arm(): Promise<void> {
    const r = this.record;
    if (!r) return;
    const now = Date.now();
    const times: number[] = [];
    const due = alarmAt(r.state);
    if (due !== null) times.push(due);
    if (r.toRun && !this.running.has(runKey(r.toRun))) times.push(now);
    if (r.d1Version < r.state.version || r.unsynced.length > 0) {
      times.push(now + (this.d1Failures === 0 ? 0 : backoffCeiling(this.d1Failures, D1_RETRY_BACKOFF)));
    }
    if (times.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...times));
  }
}
