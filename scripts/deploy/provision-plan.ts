/**
 * What `npm run provision -- <env>` creates, in order, as wrangler commands: pure over the environment's
 * resolved config and what the account already has, so the plan is unit-tested; nothing here can run
 * against Cloudflare from this machine or the tests (scripts/provision.ts runs the plan).
 */
import type { EnvConfig } from "./config-checks";

/** What the account already has, by name (`wrangler d1 list --json`, `queues list`, `r2 bucket list`). */
export interface Existing {
  databases: readonly string[];
  queues: readonly string[];
  buckets: readonly string[];
}

export interface PlannedCommand {
  /** wrangler's arguments, e.g. ["queues", "create", "crossdock-prod-email"]. */
  args: string[];
  /** Set when the resource exists already: the command is printed as skipped, never run. */
  skip?: string;
}

/**
 * The database first (its id goes into wrangler.toml before anything can deploy), then every queue:
 * the last-resort queue, the dead-letter queues, then the queues they back, so no consumer is ever
 * attached to a missing DLQ; then the R2 bucket. Rate-limit namespaces and Analytics Engine datasets are
 * not created by any command: the first is config only (namespace_id in wrangler.toml), the second is
 * created by the first write.
 */
export function planProvision(config: EnvConfig, existing: Existing): PlannedCommand[] {
  const consumers = config.queues.consumers ?? [];
  const dlqs = new Set(consumers.flatMap((c) => (c.dead_letter_queue ? [c.dead_letter_queue] : [])));
  const lastResort = consumers.filter((c) => dlqs.has(c.queue)).flatMap((c) => c.dead_letter_queue ?? []);
  const allQueues = [
    ...(config.queues.producers ?? []).map((p) => p.queue),
    ...consumers.map((c) => c.queue),
  ];
  const ordered = unique([
    ...lastResort,
    ...[...dlqs].filter((q) => !lastResort.includes(q)).sort(),
    ...allQueues.filter((q) => !dlqs.has(q)).sort(),
  ]);
  const exists = (have: readonly string[], name: string) => (have.includes(name) ? "exists" : undefined);
  return [
    ...config.d1_databases.flatMap((d) =>
      d.database_name
        ? [{ args: ["d1", "create", d.database_name], skip: exists(existing.databases, d.database_name) }]
        : [],
    ),
    ...ordered.map((q) => ({ args: ["queues", "create", q], skip: exists(existing.queues, q) })),
    ...config.r2_buckets.flatMap((b) =>
      b.bucket_name
        ? [{ args: ["r2", "bucket", "create", b.bucket_name], skip: exists(existing.buckets, b.bucket_name) }]
        : [],
    ),
  ].map(({ args, skip }) => (skip ? { args, skip } : { args }));
}

const unique = (list: string[]) => [...new Set(list)];

/**
 * The names a wrangler list command printed: `queues list` and `r2 bucket list` print tables or
 * `name: …` lines, not JSON, so this takes every token that looks like one of our resource names.
 */
export function namesIn(output: string, prefix: string): string[] {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return unique(output.match(new RegExp(`${escaped}[a-z0-9_-]*`, "g")) ?? []);
}
