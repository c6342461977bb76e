import { expect } from "vitest";
import {
  type Actor,
  alarmAt,
  type Command,
  DEFAULT_SAGA_POLICY,
  type Decision,
  decide,
  type EventOf,
  evolveAll,
  type OrderDetails,
  type OrderSagaState,
  type RejectionReason,
  type SagaEvent,
  type SagaEventType,
  type SagaMessage,
  type SagaPolicy,
  type StepCommand,
  type StepError,
  type StepName,
  type StepResult,
  stepFailed,
  stepSucceeded,
} from "../../../src/flows/checkout";

/** A fixed clock: domain code never reads time, so tests pick one. Each message comes 100 ms later. */
export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const TICK = 100;

/** Shorter than production so exhaustion is quick to reach; timeouts as in production. */
export const POLICY: SagaPolicy = {
  ...DEFAULT_SAGA_POLICY,
  maxAttempts: 3,
  baseBackoffMs: 1000,
  maxBackoffMs: 8000,
};

export const ORDER: OrderDetails = {
  orderId: "ord_1",
  buyerId: "usr_buyer",
  lines: [
    { productId: "prd_mug", quantity: 2, unitPrice: 1250, merchantId: "usr_m1" },
    { productId: "prd_tea", quantity: 1, unitPrice: 800, merchantId: "usr_m1" },
  ],
  amount: 3750,
  currency: "USD",
  paymentMethod: "pm_card_visa",
};

export const BUYER: Actor = { userId: ORDER.buyerId, role: "buyer" };
export const MERCHANT: Actor = { userId: "usr_m1", role: "merchant" };

/** What a stimulus sees: the state so far, the clock, and every step command issued so far. */
export interface World {
  state: OrderSagaState | null;
  now: number;
  issued: StepCommand[];
}

/** A message to send, built from the world (so it can answer the command in flight), and when. */
export interface Stimulus {
  message: (w: World) => SagaMessage;
  at?: (w: World) => number;
  random?: number;
}

const DEFAULT_RESULTS: { [S in StepName]: StepResult<S> } = {
  "reserve-inventory": {},
  "authorize-payment": { authorizationId: "auth_1" },
  "confirm-order": {},
  "capture-payment": { captureId: "cap_1" },
  "release-inventory": {},
  "void-authorization": {},
  "refund-payment": { refundId: "ref_1" },
  "restock-inventory": {},
};

function inFlight(w: World): StepCommand {
  const p = w.state?.pending;
  if (!p) throw new Error("test bug: no command is in flight");
  return p.command;
}

function lastIssued(w: World, step: StepName): StepCommand {
  const c = w.issued.findLast((x) => x.step === step);
  if (!c) throw new Error(`test bug: no ${step} command was issued`);
  return c;
}

const errorOf = (kind: StepError["kind"], code?: string): StepError => ({
  kind,
  code: code ?? `${kind}-error`,
  message: `${kind} failure (${code ?? "test"})`,
});

export const placed = (order: OrderDetails = ORDER): Stimulus => ({
  message: () => ({ type: "OrderPlaced", order }),
});
/** The command in flight succeeds (with the gateway ids `auth_1`, `cap_1`, `ref_1` unless given). */
export const succeeds = (result?: Record<string, string>): Stimulus => ({
  message: (w) => {
    const c = inFlight(w);
    return stepSucceeded(c, (result ?? DEFAULT_RESULTS[c.step]) as StepResult<typeof c.step>);
  },
});
/** The attempt in flight fails. */
export const fails = (kind: StepError["kind"], code?: string): Stimulus => ({
  message: (w) => stepFailed(inFlight(w), errorOf(kind, code)),
});
/** The last `step` command issued answers now — after the saga moved on, for a late or repeated answer. */
export const answersLate = (step: StepName, result?: Record<string, string>): Stimulus => ({
  message: (w) => {
    const c = lastIssued(w, step);
    return stepSucceeded(c, (result ?? DEFAULT_RESULTS[c.step]) as StepResult<typeof c.step>);
  },
});
export const failsLate = (step: StepName, kind: StepError["kind"]): Stimulus => ({
  message: (w) => stepFailed(lastIssued(w, step), errorOf(kind)),
});
/** The alarm fires when the saga asked for it (a deadline or a retry). */
export const alarm = (): Stimulus => ({
  message: () => ({ type: "AlarmFired" }),
  at: (w) => (w.state && alarmAt(w.state)) ?? w.now + TICK,
});
/** The alarm fires `ms` before it is due, as a stale or early alarm would. */
export const earlyAlarm = (ms = 1): Stimulus => ({
  message: () => ({ type: "AlarmFired" }),
  at: (w) => ((w.state && alarmAt(w.state)) ?? w.now) - ms,
});
export const cancelRequested = (by: Actor = BUYER): Stimulus => ({
  message: () => ({ type: "CancelRequested", by }),
});
export const refundRequested = (by: Actor = MERCHANT): Stimulus => ({
  message: () => ({ type: "RefundRequested", by }),
});
export const send = (message: SagaMessage): Stimulus => ({ message: () => message });
/** Fixes the jitter the stimulus's decision sees. */
export const withRandom = (random: number, s: Stimulus): Stimulus => ({ ...s, random });

/** Runs one stimulus against the world; returns the decision and the world after it. */
export function step(
  w: World,
  s: Stimulus,
  policy: SagaPolicy = POLICY,
): { decision: Decision; world: World } {
  const now = Math.max(w.now + TICK, s.at?.(w) ?? 0);
  const message = s.message({ ...w, now });
  const decision = decide(w.state, message, { now, random: () => s.random ?? 0.5, policy });
  const issued = decision.commands.filter((c): c is StepCommand => c.type !== "ScheduleRetry");
  return {
    decision,
    world: { state: evolveAll(w.state, decision.events), now, issued: [...w.issued, ...issued] },
  };
}

export interface Expected {
  /** The event types emitted, in order. */
  events?: SagaEventType[];
  /** The command types issued, in order. */
  commands?: Command["type"][];
  rejected?: RejectionReason;
}

export class Outcome {
  constructor(
    readonly before: World,
    readonly decision: Decision,
    readonly after: World,
  ) {}

  get state(): OrderSagaState {
    if (!this.after.state) throw new Error("no state");
    return this.after.state;
  }

  /**
   * Then: exactly these events and commands (by type), or this rejection. (Not named `then`: that would
   * make an outcome a thenable, and a test returning one would be awaited forever.)
   */
  thenExpect(expected: Expected): this {
    const { events, commands } = this.decision;
    if (expected.events) expect(events.map((e) => e.type)).toEqual(expected.events);
    if (expected.commands) expect(commands.map((c) => c.type)).toEqual(expected.commands);
    expect(this.decision.rejected?.reason).toBe(expected.rejected);
    if (expected.rejected) expect([events, commands]).toEqual([[], []]);
    return this;
  }

  /** Then nothing happened: no events, no commands, no rejection. */
  thenNothing(): this {
    return this.thenExpect({ events: [], commands: [] });
  }

  event<T extends SagaEventType>(type: T): EventOf<T> {
    const e = this.decision.events.find((x): x is EventOf<T> => x.type === type);
    if (!e) throw new Error(`no ${type} event in ${this.decision.events.map((x) => x.type).join(", ")}`);
    return e;
  }

  command<T extends Command["type"]>(type: T): Extract<Command, { type: T }> {
    const c = this.decision.commands.find((x): x is Extract<Command, { type: T }> => x.type === type);
    if (!c) throw new Error(`no ${type} command in ${this.decision.commands.map((x) => x.type).join(", ")}`);
    return c;
  }

  /** Continues the story from here: `outcome.and(succeeds())`. */
  and(s: Stimulus, policy: SagaPolicy = POLICY): Outcome {
    const { decision, world } = step(this.after, s, policy);
    return new Outcome(this.after, decision, world);
  }
}

export interface Given {
  /** Every event the given messages produced, in order. */
  history: SagaEvent[];
  world: World;
  when(s: Stimulus): Outcome;
}

/**
 * Given: the history these messages produce (each decided in turn and its events applied).
 *
 * @example
 * given(placed(), succeeds()).when(fails("permanent", "card-declined")).thenExpect({ events: [...] });
 */
export function given(...stimuli: Stimulus[]): Given {
  return givenWith(POLICY, ...stimuli);
}

export function givenWith(policy: SagaPolicy, ...stimuli: Stimulus[]): Given {
  let world: World = { state: null, now: T0 - TICK, issued: [] };
  const history: SagaEvent[] = [];
  for (const s of stimuli) {
    const r = step(world, s, policy);
    if (r.decision.rejected) throw new Error(`given: rejected ${r.decision.rejected.reason}`);
    history.push(...r.decision.events);
    world = r.world;
  }
  return {
    history,
    world,
    when: (s) => {
      const r = step(world, s, policy);
      return new Outcome(world, r.decision, r.world);
    },
  };
}

/** The happy path up to a point, as stimuli to spread into `given`. */
export const UNTIL = {
  reserving: [placed()],
  authorizing: [placed(), succeeds()],
  confirming: [placed(), succeeds(), succeeds()],
  capturing: [placed(), succeeds(), succeeds(), succeeds()],
  captured: [placed(), succeeds(), succeeds(), succeeds(), succeeds()],
} as const;
