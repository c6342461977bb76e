import type { z } from "zod";

/** One version of an event's data: its schema, an example, and (for all but the first) how to get here. */
export interface EventVersion {
  version: number;
  schema: z.ZodType;
  example: unknown;
  /** Turns the previous version's (already validated) data into this one's. Absent on the first. */
  // biome-ignore lint/suspicious/noExplicitAny: each version's upcaster takes its own predecessor's type.
  upcast?: (previous: any) => unknown;
}

/**
 * An event type: a past-tense fact, with every schema version an event may still be stored in. Old
 * versions stay so events already written (in the outbox, in queues, in dead letters) can still be
 * read; consumers only ever see the current version, reached through the upcasters. A version no event
 * was ever stored in (one replaced before Crossdock was first deployed) may be dropped from the front:
 * the rest keep their numbers, so the current version's `dataschema` does not change.
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
 * Declares an event type. Versions must be listed in order and numbered one apart (from 1, unless the
 * first ones were dropped), each after the first with an upcaster, and `current` must be the last
 * version's schema; a mistake fails at module load, so in every test.
 *
 * @example
 * export const userRegistered = defineEvent({ type: "user.registered", subject: "user", current: V2, versions: [...] });
 */
export function defineEvent<Type extends string, S extends z.ZodType>(
  def: EventDefinition<Type, z.infer<S>> & { current: S },
): EventDefinition<Type, z.infer<S>> {
  const first = def.versions[0]?.version ?? 0;
  def.versions.forEach((v, i) => {
    if (first < 1 || v.version !== first + i)
      throw new Error(`${def.type}: versions must be numbered one apart, in order, from 1 or more`);
    if (i > 0 && !v.upcast)
      throw new Error(`${def.type} v${v.version}: needs an upcaster from v${v.version - 1}`);
  });
  if (def.versions.at(-1)?.schema !== def.current)
    throw new Error(`${def.type}: current must be the last version`);
  return def;
}

export const currentVersion = (def: EventDefinition): number => def.versions.at(-1)?.version ?? 0;

/** Version `n` of an event type; undefined for one it never had, or that was dropped. */
export const eventVersion = (def: EventDefinition, n: number): EventVersion | undefined =>
  def.versions[n - (def.versions[0]?.version ?? 1)];
