import type { Logger } from "../observability/logger";
import type { CurrentData, EventDefinition } from "./define-event";
import type { SyntheticFacts } from "./synthetic";

/**
 * A consumer's queue settings, as wrangler.toml's `[[queues.consumers]]` block states them (a test keeps
 * the two equal: test/contract/wrangler-config.test.ts). Seconds for the timeout and delay.
 * `maxRetries` is what Queues retries after the first attempt: a handler on attempt `maxRetries + 1`
 * runs for the last time before the message goes to the dead-letter queue.
 */
export interface QueueDelivery {
  maxBatchSize: number;
  maxBatchTimeout: number;
  maxRetries: number;
  retryDelay: number;
}

/**
 * One queue consumer, as its flow declares it. Each consumer has its own queue and dead-letter queue, so
 * a slow or failing consumer never holds back another; the producer binding is the only credential that
 * can write to that queue, and only the relay uses it.
 */
export interface ConsumerDeclaration {
  /** What it keeps or does, for the AsyncAPI document and the ops pages. */
  description: string;
  /** The binding that sends to its queue, `crossdock-<name>` (its dead letters go to `crossdock-<name>-dlq`). */
  producer: keyof Env;
  delivery: QueueDelivery;
  /** The fact types it hears; a type no consumer subscribes to is still recorded, for the audit trail. */
  subscribes: readonly string[];
  /**
   * How to make real facts for it on demand, copied from a real one (`syntheticFacts`): what
   * POST /ops/faults/backlog writes to build a backlog in front of it. Without it, it gets none.
   */
  synthetic?: SyntheticFacts;
}

/** What a flow declares once: its facts (every version) and its consumers; the registries follow. */
export interface FlowDeclaration {
  name: string;
  events: Readonly<Record<string, EventDefinition>>;
  consumers: Readonly<Record<string, ConsumerDeclaration>>;
  /** Its cron triggers, by name: a cron expression each (wrangler.toml's `[triggers] crons` lists them). */
  crons?: Readonly<Record<string, string>>;
}

/** Keeps a declaration's literal types (event and consumer names) for the registry's types. */
export const defineFlow = <const F extends FlowDeclaration>(flow: F): F => flow;

/**
 * The flows the worker is made of. Empty here: src/flows/index.ts, which lists them, adds
 * `flows: typeof FLOWS` by module augmentation (as hono's ContextVariableMap is extended), so the event
 * backbone is typed by every flow's facts and consumers without importing a single flow.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in src/flows/index.ts.
export interface FlowRegistry {}

type RegisteredFlows = FlowRegistry extends { flows: infer F extends readonly FlowDeclaration[] }
  ? F
  : readonly FlowDeclaration[];
type Merged<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export type EventCatalog = Merged<RegisteredFlows[number]["events"]>;
export type EventType = Extract<keyof EventCatalog, string>;
/** The current data shape of an event type. */
export type EventData<T extends EventType> = CurrentData<EventCatalog[T]>;
export type ConsumerCatalog = Merged<RegisteredFlows[number]["consumers"]>;
export type ConsumerName = Extract<keyof ConsumerCatalog, string>;

/** A consumer as registered: its declaration and its queues, named after it. */
export interface RegisteredConsumer extends ConsumerDeclaration {
  queue: string;
  deadLetterQueue: string;
}

export interface Topology {
  flows: readonly FlowDeclaration[];
  events: { readonly [T in EventType]: EventCatalog[T] };
  consumers: { readonly [N in ConsumerName]: ConsumerCatalog[N] & RegisteredConsumer };
  /** Who hears what, derived from the consumers' `subscribes`; an empty list is a fact nobody consumes. */
  subscriptions: { readonly [T in EventType]: readonly ConsumerName[] };
}

/**
 * What the backbone tells the flows about, without knowing them: registered with the flows
 * (src/flows/index.ts). `deadLettered` runs after a batch dead-lettered messages, so an alert on dead
 * letters fires at once instead of at the next maintenance run.
 */
export interface BackboneHooks {
  deadLettered?(env: Env, now: number, log: Logger): Promise<unknown>;
}

let registered: Topology | undefined;
let hooks: BackboneHooks = {};

/**
 * Builds the topology from the flows' declarations and makes it the one the event backbone uses. A
 * mistake (a type or consumer declared twice, a subscription to a type nobody declares, synthetic facts
 * of a type the consumer does not hear) throws at module load, so in every test.
 */
export function registerFlows(
  flows: readonly FlowDeclaration[],
  backboneHooks: BackboneHooks = {},
): Topology {
  hooks = backboneHooks;
  const events: Record<string, EventDefinition> = {};
  const consumers: Record<string, RegisteredConsumer> = {};
  for (const flow of flows) {
    for (const [type, def] of Object.entries(flow.events)) {
      if (type !== def.type) throw new Error(`${flow.name}: ${type} is keyed under another type's name`);
      if (events[type]) throw new Error(`${flow.name}: event type ${type} is declared twice`);
      events[type] = def;
    }
    for (const [name, c] of Object.entries(flow.consumers)) {
      if (consumers[name]) throw new Error(`${flow.name}: consumer ${name} is declared twice`);
      consumers[name] = { ...c, queue: `crossdock-${name}`, deadLetterQueue: `crossdock-${name}-dlq` };
    }
  }
  const subscriptions: Record<string, string[]> = Object.fromEntries(Object.keys(events).map((t) => [t, []]));
  for (const [name, c] of Object.entries(consumers)) {
    for (const type of c.subscribes) {
      const list = subscriptions[type];
      if (!list) throw new Error(`consumer ${name} subscribes to ${type}, which no flow declares`);
      list.push(name);
    }
    if (c.synthetic && !c.subscribes.includes(c.synthetic.from))
      throw new Error(
        `consumer ${name} makes synthetic ${c.synthetic.from} facts but does not subscribe to it`,
      );
  }
  registered = { flows, events, consumers, subscriptions } as unknown as Topology;
  return registered;
}

/** The registered topology; the worker registers it before anything runs (src/index.ts imports src/flows first). */
export function topology(): Topology {
  if (!registered)
    throw new Error("no flows registered: import src/flows (src/index.ts does) before using events");
  return registered;
}

export const registeredHooks = (): BackboneHooks => hooks;

export const isEventType = (type: string): type is EventType => Object.hasOwn(topology().events, type);

export const isConsumerName = (name: string): name is ConsumerName =>
  Object.hasOwn(topology().consumers, name);

const consumerNames = (): ConsumerName[] => Object.keys(topology().consumers) as ConsumerName[];

export function consumerForQueue(queue: string): ConsumerName | undefined {
  return consumerNames().find((name) => topology().consumers[name].queue === queue);
}

/** The consumer whose dead letters arrive on this queue. */
export function consumerForDeadLetterQueue(queue: string): ConsumerName | undefined {
  return consumerNames().find((name) => topology().consumers[name].deadLetterQueue === queue);
}

/**
 * Every dead-letter queue is read by the dead-letter consumer (src/consumers/dead-letters.ts), which
 * stores each message in D1 for /ops/dead-letters; what it cannot store goes to one last queue that
 * nothing reads, so a broken store never loops.
 */
export const DEAD_LETTER_DELIVERY = {
  maxBatchSize: 50,
  maxBatchTimeout: 1,
  maxRetries: 10,
  retryDelay: 10,
  deadLetterQueue: "crossdock-dead-letters-unstored",
} as const satisfies QueueDelivery & { deadLetterQueue: string };
