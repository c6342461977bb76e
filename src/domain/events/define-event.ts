import type { z } from "zod";

/** One version of an event's data: its schema, an example, and (for all but the first) how to get here. */
export interface EventVersion {
  version: number;
  schema: z.ZodType;
  example: unknown;
  /** Turns the previous version's (already validated) data into this one's. Absent on version 1. */
  // biome-ignore lint/suspicious/noExplicitAny: each version's upcaster takes its own predecessor's type.
  upcast?: (previous: any) => unknown;
}

/**
 * An event type: a past-tense fact, with every schema version it has ever had. Old versions stay so
 * events already written (in the outbox, in queues, in dead letters) can still be read; consumers only
 * ever see the current version, reached through the upcasters.
 */
export interface EventDefinition<Type extends string = string, Current = unknown> {
  type: Type;
  description: string;
  /** The kind of aggregate the envelope's `subject` names, e.g. `user`. */
  subject: string;
  versions: readonly EventVersion[];
  /** The last version's schema; consumers are typed against it. */
  current: z.ZodType<Current>;
}

export type CurrentData<D> = D extends EventDefinition<string, infer C> ? C : never;

/**
 * Declares an event type. Versions must be listed 1..n in order, each after the first with an upcaster,
 * and `current` must be the last version's schema; a mistake fails at module load, so in every test.
 *
 * @example
 * export const userRegistered = defineEvent({ type: "user.registered", subject: "user", current: V2, versions: [...] });
 */
export function defineEvent<Type extends string, S extends z.ZodType>(
  def: EventDefinition<Type, z.infer<S>> & { current: S },
): EventDefinition<Type, z.infer<S>> {
  def.versions.forEach((v, i) => {
    if (v.version !== i + 1) throw new Error(`${def.type}: versions must be numbered 1..n in order`);
    if (i > 0 && !v.upcast) throw new Error(`${def.type} v${v.version}: needs an upcaster from v${i}`);
  });
  if (def.versions.at(-1)?.schema !== def.current)
    throw new Error(`${def.type}: current must be the last version`);
  return def;
}

export const currentVersion = (def: EventDefinition): number => def.versions.length;
