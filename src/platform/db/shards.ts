import { fnv1a } from "../encoding/fnv1a";
import { type Db, getDb } from "./client";

/**
 * The shard routing seam: one logical database spread over N D1 databases, for the tables that
 * outgrow one (docs/CAPACITY.md, "Beyond one database"). `DB` is shard 0 and stays the global
 * database for every table that is not sharded; shards 1…N-1 are the bindings `DB_SHARD_1`…, each
 * with the full schema (the same migrations), of which only the sharded tables hold rows.
 *
 * `D1_SHARDS` says N (default 1, today's single database). It is set explicitly rather than counted
 * from the bindings present: a binding left out of one environment would silently send a key to a
 * different database, where its rows are not, and the reads would find nothing.
 */
export const SHARD_BINDING_PREFIX = "DB_SHARD_";
export const MAX_SHARDS = 64;

export class ShardConfigError extends Error {
  override name = "ShardConfigError";
}

/** N from `D1_SHARDS`, checked: a whole number from 1 to MAX_SHARDS. */
export function shardCount(env: Env): number {
  const raw = (env as unknown as Record<string, unknown>).D1_SHARDS;
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) {
    throw new ShardConfigError(
      `D1_SHARDS must be a whole number from 1 to ${MAX_SHARDS}, not '${String(raw)}'`,
    );
  }
  return n;
}

/** The binding name of shard `i`: `DB` for 0, else `DB_SHARD_<i>`. */
export const shardBindingName = (i: number): string => (i === 0 ? "DB" : `${SHARD_BINDING_PREFIX}${i}`);

const bindingsCache = new WeakMap<object, D1Database[]>();

/** Every shard's D1 binding, shard 0 first. @throws ShardConfigError when one is not bound. */
export function shardBindings(env: Env): D1Database[] {
  const hit = bindingsCache.get(env);
  if (hit) return hit;
  const n = shardCount(env);
  const all: D1Database[] = [];
  for (let i = 0; i < n; i++) {
    const binding = (env as unknown as Record<string, unknown>)[shardBindingName(i)];
    if (typeof binding !== "object" || binding === null || !("prepare" in binding)) {
      throw new ShardConfigError(`D1_SHARDS is ${n} but no D1 database is bound as ${shardBindingName(i)}`);
    }
    all.push(binding as D1Database);
  }
  bindingsCache.set(env, all);
  return all;
}

/** What is wrong with the shard configuration, in one sentence, or null when every shard is bound. */
export function shardConfigProblem(env: Env): string | null {
  try {
    shardBindings(env);
    return null;
  } catch (err) {
    if (err instanceof ShardConfigError) return err.message;
    throw err;
  }
}

/**
 * Jump consistent hash (Lamping & Veach, 2014): the bucket of a 64-bit key among `buckets`. Chosen
 * over `hash % N` because growing from N to N+1 shards moves only 1/(N+1) of the keys, all of them to
 * the new shard, so a resharding copies the least data and never between two old shards.
 */
export function jumpHash(key: bigint, buckets: number): number {
  const mask = (1n << 64n) - 1n;
  let k = key & mask;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & mask;
    j = Math.floor(((b + 1) * 2 ** 31) / (Number(k >> 33n) + 1));
  }
  return b;
}

/**
 * The shard of a key (a buyer id, a merchant id) among `shards`. Both halves of the 64-bit key come
 * from FNV-1a, so the choice depends on the key's text alone and never changes for a given N.
 *
 * @example
 * shardIndexOf("usr_01", 4); // the same number on every isolate, forever
 */
export function shardIndexOf(key: string, shards: number): number {
  if (shards <= 1) return 0;
  const high = BigInt(fnv1a(key));
  const low = BigInt(fnv1a(`${key}\u0000`));
  return jumpHash((high << 32n) | low, shards);
}

/** The database holding `key`'s rows of a sharded table. */
export function shardFor(env: Env, key: string): Db {
  const all = shardBindings(env);
  return getDb(all[shardIndexOf(key, all.length)]!);
}

/** Every shard's database, shard 0 first: for the work that touches them all (pruning, audits). */
export const everyShard = (env: Env): Db[] => shardBindings(env).map(getDb);
