/**
 * The deploy-config checks (`npm run check:config`): pure functions over wrangler's resolved config of
 * one environment, so they run in the unit tests as they run in the script (scripts/check-config.ts
 * reads wrangler.toml with wrangler's `unstable_readConfig`). Each check returns the problems it finds,
 * one sentence each, empty when the environment would deploy.
 */
import { MAX_SHARDS, SHARD_BINDING_PREFIX, shardBindingName } from "../../src/platform/db/shards";
import { DECLARED_QUEUE_PREFIX } from "../../src/platform/events/queue-names";
import { SECRETS } from "../../src/secrets";

/** The part of wrangler's resolved config (one environment) that the checks read. */
export interface EnvConfig {
  name?: string;
  vars: Record<string, unknown>;
  secrets?: { required?: string[] };
  d1_databases: { binding: string; database_name?: string; database_id?: string }[];
  queues: {
    producers?: { binding: string; queue: string }[];
    consumers?: { queue: string; dead_letter_queue?: string }[];
  };
  r2_buckets: { binding: string; bucket_name?: string }[];
  durable_objects: { bindings: { name: string }[] };
  ratelimits: { name: string }[];
  analytics_engine_datasets: { binding: string }[];
  triggers: { crons?: string[] };
}

/** `local` is wrangler.toml's top level (npm start, tests); the others are deployable. */
export const DEPLOYABLE_ENVS = ["staging", "production"] as const;
export type EnvName = "local" | (typeof DEPLOYABLE_ENVS)[number];

export interface CheckOptions {
  /** CI builds with the placeholder ids still in place; a real deploy never does. */
  allowPlaceholders: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id nobody provisioned: missing, not a UUID, or the all-zero one wrangler.toml ships with. */
export const isPlaceholderId = (id: string | undefined) => !id || !UUID.test(id) || /^[0-]+$/.test(id);

export function placeholderIds(config: EnvConfig): string[] {
  return config.d1_databases
    .filter((d) => isPlaceholderId(d.database_id))
    .map(
      (d) =>
        `D1 ${d.binding} (${d.database_name}) has the placeholder id "${d.database_id ?? ""}": run \`npm run provision\` and put the real database_id in wrangler.toml.`,
    );
}

export function sandboxProviders(config: EnvConfig): string[] {
  const problems: string[] = [];
  // The payment gateway defaults to the sandbox when PAYMENTS_PROVIDER is unset (select-gateway.ts).
  const payments = String(config.vars.PAYMENTS_PROVIDER ?? "sandbox") || "sandbox";
  if (payments === "sandbox") problems.push('PAYMENTS_PROVIDER is "sandbox": production must use "http".');
  if (config.vars.EMAIL_PROVIDER === "mailbox")
    problems.push('EMAIL_PROVIDER is "mailbox": production must use "http".');
  return problems;
}

/**
 * D1_SHARDS = N needs exactly the bindings DB_SHARD_1…DB_SHARD_<N-1> (src/platform/db/shards.ts): one
 * missing would fail every sharded read at run time, and one extra is a database nothing routes to.
 */
export function shardBindingsMatch(config: EnvConfig): string[] {
  const raw = config.vars.D1_SHARDS ?? "1";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS)
    return [`D1_SHARDS is "${String(raw)}": it must be a whole number from 1 to ${MAX_SHARDS}.`];
  const wanted = Array.from({ length: n - 1 }, (_, i) => shardBindingName(i + 1));
  const bound = config.d1_databases.map((d) => d.binding).filter((b) => b.startsWith(SHARD_BINDING_PREFIX));
  return [
    ...wanted
      .filter((b) => !bound.includes(b))
      .map((b) => `D1_SHARDS is ${n} but no D1 database is bound as ${b}.`),
    ...bound
      .filter((b) => !wanted.includes(b))
      .map((b) => `D1 ${b} is bound but D1_SHARDS (${n}) routes nothing to it.`),
  ];
}

export function faultsOn(config: EnvConfig): string[] {
  return String(config.vars.FAULTS_ENABLED) === "true"
    ? ['FAULTS_ENABLED is "true": fault injection is for local game days only; set it to "false".']
    : [];
}

/**
 * Every queue is both sent to and read, except dead-letter queues (only the platform moves messages
 * there); every dead-letter queue is read, except the one last queue the dead-letter consumers spill into.
 */
export function queueTopology(config: EnvConfig): string[] {
  const produced = new Set((config.queues.producers ?? []).map((p) => p.queue));
  const consumers = config.queues.consumers ?? [];
  const consumed = new Set(consumers.map((c) => c.queue));
  const dlqs = new Set(consumers.flatMap((c) => (c.dead_letter_queue ? [c.dead_letter_queue] : [])));
  const lastResort = new Set(
    consumers.filter((c) => dlqs.has(c.queue) && c.dead_letter_queue).map((c) => c.dead_letter_queue),
  );
  const problems: string[] = [];
  for (const q of consumed)
    if (!produced.has(q) && !dlqs.has(q)) problems.push(`Queue ${q} is consumed but nothing produces to it.`);
  for (const q of produced)
    if (!consumed.has(q)) problems.push(`Queue ${q} is produced to but nothing consumes it.`);
  for (const c of consumers) {
    const dlq = c.dead_letter_queue;
    if (!dlq) problems.push(`Queue ${c.queue} has no dead_letter_queue.`);
    else if (!consumed.has(dlq) && !(dlqs.has(c.queue) && lastResort.size === 1))
      problems.push(`Queue ${c.queue} names dead-letter queue ${dlq}, which is not a queue anything reads.`);
  }
  if (lastResort.size > 1)
    problems.push(
      `Dead-letter consumers spill into ${lastResort.size} queues (${[...lastResort].join(", ")}); expected one.`,
    );
  return problems;
}

/** `[secrets] required` names exactly the secrets the worker reads (src/secrets.ts). */
export function secretNames(config: EnvConfig): string[] {
  const declared = new Set(config.secrets?.required ?? []);
  const read = new Set<string>(SECRETS.map((s) => s.name));
  return [
    ...[...read]
      .filter((n) => !declared.has(n))
      .map((n) => `Secret ${n} is read by the worker (src/secrets.ts) but missing from [secrets] required.`),
    ...[...declared]
      .filter((n) => !read.has(n))
      .map(
        (n) => `Secret ${n} is in [secrets] required but not in the one list of secrets (src/secrets.ts).`,
      ),
  ];
}

const names = (list: { name?: string; binding?: string }[]) =>
  list.map((x) => x.binding ?? x.name ?? "").sort();
const unsharded = (list: { binding: string }[]) =>
  names(list).filter((b) => !b.startsWith(SHARD_BINDING_PREFIX));
const sameList = (a: readonly string[], b: readonly string[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A deployable environment repeats the top level's bindings (wrangler inherits none of them): the same
 * vars, binding names, crons, and queues renamed by its QUEUE_PREFIX (the top level's queues equal the
 * flows' declarations: test/contract/wrangler-config.test.ts).
 */
export function mirrorsLocal(config: EnvConfig, local: EnvConfig): string[] {
  const problems: string[] = [];
  const prefix = String(config.vars.QUEUE_PREFIX ?? "");
  if (!prefix || prefix === DECLARED_QUEUE_PREFIX)
    problems.push(
      `QUEUE_PREFIX must name this environment's queues (e.g. "crossdock-prod-"), not "${prefix}".`,
    );
  const rename = (q: string | undefined) => (q ? q.replace(DECLARED_QUEUE_PREFIX, prefix) : q);
  const pairs: [string, unknown, unknown][] = [
    ["vars", Object.keys(config.vars).sort(), Object.keys(local.vars).sort()],
    // Shards may differ: production can spread over more databases than a laptop needs.
    ["D1 bindings", unsharded(config.d1_databases), unsharded(local.d1_databases)],
    ["R2 bindings", names(config.r2_buckets), names(local.r2_buckets)],
    [
      "Durable Object bindings",
      names(config.durable_objects.bindings),
      names(local.durable_objects.bindings),
    ],
    ["rate limits", names(config.ratelimits), names(local.ratelimits)],
    [
      "Analytics Engine bindings",
      names(config.analytics_engine_datasets),
      names(local.analytics_engine_datasets),
    ],
    ["crons", [...(config.triggers.crons ?? [])].sort(), [...(local.triggers.crons ?? [])].sort()],
    [
      "queue producers",
      (config.queues.producers ?? []).map((p) => `${p.binding}=${p.queue}`).sort(),
      (local.queues.producers ?? []).map((p) => `${p.binding}=${rename(p.queue)}`).sort(),
    ],
    [
      "queue consumers",
      (config.queues.consumers ?? []).map((c) => `${c.queue}>${c.dead_letter_queue}`).sort(),
      (local.queues.consumers ?? []).map((c) => `${rename(c.queue)}>${rename(c.dead_letter_queue)}`).sort(),
    ],
  ];
  for (const [what, env, top] of pairs)
    if (!sameList(env as string[], top as string[]))
      problems.push(`${what} differ from the top level's: ${diff(env as string[], top as string[])}.`);
  return problems;
}

function diff(env: string[], top: string[]): string {
  const missing = top.filter((x) => !env.includes(x));
  const extra = env.filter((x) => !top.includes(x));
  return [
    missing.length ? `missing ${missing.join(", ")}` : "",
    extra.length ? `extra ${extra.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** Every problem of one environment; `local` is checked only for what holds everywhere. */
export function checkEnv(env: EnvName, config: EnvConfig, local: EnvConfig, options: CheckOptions): string[] {
  const everywhere = [...queueTopology(config), ...secretNames(config), ...shardBindingsMatch(config)];
  if (env === "local") return everywhere;
  return [
    ...(options.allowPlaceholders ? [] : placeholderIds(config)),
    ...(env === "production" ? sandboxProviders(config) : []),
    ...faultsOn(config),
    ...everywhere,
    ...mirrorsLocal(config, local),
  ];
}

/** Two deployable environments sharing a database, bucket or queue prefix would write into each other. */
export function distinctResources(configs: Partial<Record<EnvName, EnvConfig>>): string[] {
  const seen = new Map<string, EnvName>();
  const problems: string[] = [];
  for (const env of DEPLOYABLE_ENVS) {
    const config = configs[env];
    if (!config) continue;
    const resources = [
      ...config.d1_databases.map((d) => `D1 database ${d.database_name}`),
      ...config.r2_buckets.map((b) => `R2 bucket ${b.bucket_name}`),
      `queue prefix ${String(config.vars.QUEUE_PREFIX)}`,
    ];
    for (const r of resources) {
      const other = seen.get(r);
      if (other) problems.push(`${env} and ${other} share the ${r}.`);
      else seen.set(r, env);
    }
  }
  return problems;
}
