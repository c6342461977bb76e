import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Actor,
  alarmAt,
  CHECKOUT_EVENTS,
  decide,
  type EventOf,
  evolve,
  isPublished,
  isTerminal,
  type OrderSagaState,
  type SagaEvent,
  type SagaMessage,
  type SagaPolicy,
  type StepCommand,
  type StepError,
  type StepResult,
  stepFailed,
  stepSucceeded,
} from "../../../src/flows/checkout";
import { ORDER, POLICY, T0 } from "./saga-scenario";

type Outcome = "ok" | "transient" | "permanent" | "timeout";
type Action =
  | { kind: "answer"; outcome: Outcome }
  | { kind: "alarm"; early: boolean }
  | { kind: "cancel"; role: Actor["role"] }
  | { kind: "refund" }
  | { kind: "late"; pick: number; ok: boolean }
  | { kind: "replay"; pick: number };

const outcomeArb = fc.constantFrom<Outcome>(
  "ok",
  "ok",
  "ok",
  "ok",
  "transient",
  "transient",
  "permanent",
  "timeout",
);
/** Random actions; `hostile` favours alarms, cancels and late answers over progress. */
const actionsArb = (hostile: boolean): fc.Arbitrary<Action[]> =>
  fc.array(
    fc.oneof(
      {
        weight: hostile ? 3 : 8,
        arbitrary: outcomeArb.map((outcome) => ({ kind: "answer" as const, outcome })),
      },
      { weight: 3, arbitrary: fc.boolean().map((early) => ({ kind: "alarm" as const, early })) },
      {
        weight: hostile ? 2 : 1,
        arbitrary: fc
          .constantFrom<Actor["role"]>("buyer", "merchant", "admin")
          .map((role) => ({ kind: "cancel" as const, role })),
      },
      { weight: 2, arbitrary: fc.constant({ kind: "refund" as const }) },
      {
        weight: hostile ? 5 : 2,
        arbitrary: fc.record({ kind: fc.constant("late" as const), pick: fc.nat(), ok: fc.boolean() }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("replay" as const), pick: fc.nat() }) },
    ),
    { maxLength: 40 },
  );

const POLICIES: SagaPolicy[] = [
  POLICY,
  { ...POLICY, compensateOnTimeout: ["reserve-inventory", "authorize-payment", "confirm-order"] },
  { ...POLICY, maxAttempts: 1 },
];

/** A gateway answers the same key with the same ids, as an idempotent one does. */
function resultFor(c: StepCommand): StepResult<StepCommand["step"]> {
  switch (c.step) {
    case "authorize-payment":
      return { authorizationId: `auth_${c.idempotencyKey}` };
    case "capture-payment":
      return { captureId: `cap_${c.idempotencyKey}` };
    case "refund-payment":
      return { refundId: `ref_${c.idempotencyKey}` };
    default:
      return {};
  }
}
const errorFor = (kind: StepError["kind"]): StepError => ({ kind, code: `${kind}-error`, message: kind });

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FINAL: ReadonlySet<string> = new Set(["cancelled", "refunded"]);

/** Plays a saga as its Durable Object would, checking the step-by-step invariants after every decision. */
class Simulation {
  state: OrderSagaState | null = null;
  now = T0;
  events: SagaEvent[] = [];
  issued: StepCommand[] = [];
  sent: SagaMessage[] = [];
  readonly random: () => number;

  constructor(
    readonly policy: SagaPolicy,
    seed: number,
  ) {
    this.random = mulberry32(seed);
  }

  send(message: SagaMessage, at = this.now + 50): void {
    this.now = Math.max(this.now, at);
    const before = this.state;
    const decision = decide(before, message, { now: this.now, random: this.random, policy: this.policy });
    this.sent.push(message);
    if (decision.rejected) expect([decision.events, decision.commands]).toEqual([[], []]);
    let state = before;
    for (const e of decision.events) {
      state = evolve(state, e);
      if (isPublished(e)) CHECKOUT_EVENTS[e.type].current.parse(e.data);
    }
    this.events.push(...decision.events);
    const stepCommands = decision.commands.filter((c): c is StepCommand => c.type !== "ScheduleRetry");
    this.issued.push(...stepCommands);
    this.state = state;
    if (!state) return;

    expect(state.version).toBe(this.events.length);
    // (d) a cancelled or refunded order never becomes anything else.
    if (before && FINAL.has(before.status)) expect(state.status).toBe(before.status);
    // The alarm always covers what is pending: the command just issued, or the retry just scheduled.
    const last = stepCommands.at(-1);
    if (last && state.pending?.command === last) expect(alarmAt(state)).toBe(last.deadline);
    for (const c of decision.commands) {
      if (c.type === "ScheduleRetry") expect(alarmAt(state)).toBe(c.at);
    }
  }

  act(action: Action): void {
    const s = this.state;
    const pending = s?.pending;
    switch (action.kind) {
      case "answer": {
        if (!pending) return;
        const c = pending.command;
        if (action.outcome === "ok") this.send(stepSucceeded(c, resultFor(c)));
        else this.send(stepFailed(c, errorFor(action.outcome)));
        return;
      }
      case "alarm": {
        const due = s ? alarmAt(s) : null;
        if (due === null) this.send({ type: "AlarmFired" });
        else this.send({ type: "AlarmFired" }, action.early ? due - 1 : due);
        return;
      }
      case "cancel":
        this.send({ type: "CancelRequested", by: { userId: `usr_${action.role}`, role: action.role } });
        return;
      case "refund":
        this.send({ type: "RefundRequested", by: { userId: "usr_admin", role: "admin" } });
        return;
      case "late": {
        const c = this.issued[action.pick % Math.max(1, this.issued.length)];
        if (!c) return;
        this.send(action.ok ? stepSucceeded(c, resultFor(c)) : stepFailed(c, errorFor("transient")));
        return;
      }
      case "replay": {
        const m = this.sent[action.pick % Math.max(1, this.sent.length)];
        if (m) this.send(m);
        return;
      }
      default: {
        const unreachable: never = action;
        throw new Error(`unknown action ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** Every answer arrives and every alarm fires, until nothing is pending. */
  drain(): void {
    for (let i = 0; i < 200 && this.state?.pending; i++) {
      const p = this.state.pending;
      if (p.retryAt !== null) this.send({ type: "AlarmFired" }, p.retryAt);
      else this.send(stepSucceeded(p.command, resultFor(p.command)));
    }
    expect(this.state?.pending).toBeNull();
  }

  of<T extends SagaEvent["type"]>(type: T): EventOf<T>[] {
    return this.events.filter((e): e is EventOf<T> => e.type === type);
  }

  indexOf(type: SagaEvent["type"]): number {
    return this.events.findIndex((e) => e.type === type);
  }

  /** Whether a run of `step` started after event index `after` (and optionally matching) and succeeded. */
  ranAfter(
    after: number,
    step: StepCommand["step"],
    match: (c: StepCommand) => boolean = () => true,
  ): boolean {
    return this.events.some((e, i) => {
      if (i <= after || e.type !== "saga.step_started") return false;
      const c = e.data.command;
      if (c.step !== step || c.attempt !== 1 || !match(c)) return false;
      return this.of("saga.step_succeeded").some((x) => x.data.idempotencyKey === c.idempotencyKey);
    });
  }

  /** A final permanent failure of `step`: a definite "it did not happen". */
  definitelyFailed(step: StepCommand["step"]): boolean {
    return this.of("saga.step_failed").some(
      (e) => e.data.step === step && e.data.retryAt === null && e.data.error.kind === "permanent",
    );
  }
}

const scenarioArb = fc.oneof(
  // Some steps of the happy path first, so later phases (capture, refund) are reached as often as early ones.
  fc.record({
    policy: fc.constantFrom(...POLICIES),
    seed: fc.integer(),
    prefix: fc.nat({ max: 4 }),
    actions: actionsArb(false),
  }),
  // While the payment is being authorized: timeouts, cancellations and late answers.
  fc.record({
    policy: fc.constantFrom(...POLICIES),
    seed: fc.integer(),
    prefix: fc.constant(1),
    actions: actionsArb(true),
  }),
);

interface Scenario {
  policy: SagaPolicy;
  seed: number;
  prefix: number;
  actions: Action[];
}

function play({ policy, seed, prefix, actions }: Scenario): Simulation {
  const sim = new Simulation(policy, seed);
  sim.send({ type: "OrderPlaced", order: ORDER });
  for (let i = 0; i < prefix; i++) sim.act({ kind: "answer", outcome: "ok" });
  for (const a of actions) sim.act(a);
  sim.drain();
  return sim;
}

const RUNS = { numRuns: 1000 };

describe("checkout saga properties, for any sequence of messages", () => {
  it("(a) every authorization that may have happened is captured, or voided by the time the order is cancelled", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const sim = play(input);
        const s = sim.state!;
        if (s.status !== "cancelled") return;
        expect(isTerminal(s)).toBe(true);
        expect(["none", "voided"]).toContain(s.payment);
        expect(sim.of("payment.captured")).toEqual([]);
        for (const auth of sim.of("payment.authorized")) {
          const id = auth.data.authorizationId;
          const at = sim.events.indexOf(auth);
          const voidedById = sim.ranAfter(
            at,
            "void-authorization",
            (c) => c.type === "VoidAuthorization" && c.authorizationId === id,
          );
          expect(voidedById, `authorization ${id} was never voided by id`).toBe(true);
        }
        expect(sim.of("payment.voided").length).toBe(sim.of("payment.authorized").length);
        const authorizeTried = sim.issued.some((c) => c.step === "authorize-payment");
        if (authorizeTried && !sim.definitelyFailed("authorize-payment")) {
          expect(sim.ranAfter(-1, "void-authorization")).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("(b) reserved inventory is released exactly once on every cancel path", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const sim = play(input);
        const s = sim.state!;
        const reserved = sim.of("inventory.reserved");
        expect(reserved.length).toBeLessThanOrEqual(1);
        if (s.status !== "cancelled") {
          expect(sim.of("inventory.released")).toEqual([]);
          return;
        }
        expect(sim.of("inventory.released").length).toBe(reserved.length);
        if (reserved[0]) {
          expect(sim.ranAfter(sim.events.indexOf(reserved[0]), "release-inventory")).toBe(true);
          expect(s.inventory).toBe("released");
        }
        if (!sim.definitelyFailed("reserve-inventory"))
          expect(sim.ranAfter(-1, "release-inventory")).toBe(true);
      }),
      RUNS,
    );
  });

  it("(c) a capture is only ever retried under the same key, never issued anew", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const sim = play(input);
        const captures = sim.issued.filter((c) => c.step === "capture-payment");
        if (captures.length > 0) expect(sim.indexOf("order.confirmed")).toBeGreaterThanOrEqual(0);
        expect(new Set(captures.map((c) => c.idempotencyKey))).toEqual(
          new Set(captures.length ? [`${ORDER.orderId}:capture`] : []),
        );
        captures.forEach((c, i) => {
          expect(c.attempt).toBe(i + 1);
        });
        expect(sim.of("payment.captured").length).toBeLessThanOrEqual(1);
        const refunds = sim.issued.filter((c) => c.step === "refund-payment");
        refunds.forEach((c, i) => {
          expect([c.idempotencyKey, c.attempt]).toEqual([`${ORDER.orderId}:refund`, i + 1]);
        });
      }),
      RUNS,
    );
  });

  it("(d) a cancelled or refunded order stays so; confirmed and cancelled never both happen", () => {
    fc.assert(
      fc.property(scenarioArb, (input) => {
        const sim = play(input); // play checks (d) after every decision
        const confirmed = sim.indexOf("order.confirmed") >= 0;
        const cancelling = sim.indexOf("order.cancellation_started") >= 0;
        expect(confirmed && cancelling).toBe(false);
        expect(sim.of("order.cancelled").length).toBeLessThanOrEqual(1);
        const s = sim.state!;
        if (confirmed) {
          const afterConfirm = sim.issued.slice(sim.issued.findIndex((c) => c.step === "capture-payment"));
          expect(
            afterConfirm.filter((c) => c.step === "release-inventory" || c.step === "void-authorization"),
          ).toEqual([]);
          expect(["captured", "capture-failed", "refunded"]).toContain(s.payment);
        }
        if (s.payment !== "capture-failed") expect(isTerminal(s)).toBe(true);
      }),
      RUNS,
    );
  });
});
