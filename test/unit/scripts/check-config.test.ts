import { describe, expect, it } from "vitest";
import {
  checkEnv,
  distinctResources,
  type EnvConfig,
  isPlaceholderId,
  queueTopology,
} from "../../../scripts/deploy/config-checks";
import { planProvision } from "../../../scripts/deploy/provision-plan";

const REAL_ID = "3f2c1a9e-8b7d-4c6e-9a5b-1d2e3f4a5b6c";
const SECRETS = ["ADMIN_EMAIL", "ADMIN_PASSWORD", "EMAIL_API_KEY", "PAYMENTS_API_KEY"];

/** A small environment in wrangler's resolved shape: one flow queue, its DLQ, the last-resort queue. */
function env(prefix: string, over: Partial<EnvConfig> = {}, vars: Record<string, string> = {}): EnvConfig {
  return {
    vars: {
      PAYMENTS_PROVIDER: "http",
      EMAIL_PROVIDER: "http",
      FAULTS_ENABLED: "false",
      QUEUE_PREFIX: prefix,
      ...vars,
    },
    secrets: { required: SECRETS },
    d1_databases: [{ binding: "DB", database_name: `${prefix}db`, database_id: REAL_ID }],
    queues: {
      producers: [{ binding: "EMAIL_QUEUE", queue: `${prefix}email` }],
      consumers: [
        { queue: `${prefix}email`, dead_letter_queue: `${prefix}email-dlq` },
        { queue: `${prefix}email-dlq`, dead_letter_queue: `${prefix}dead-letters-unstored` },
      ],
    },
    r2_buckets: [{ binding: "FILES", bucket_name: `${prefix}files` }],
    durable_objects: { bindings: [{ name: "ORDER_SAGA" }] },
    ratelimits: [{ name: "LOGIN_FAILURES_BY_CLIENT" }],
    analytics_engine_datasets: [{ binding: "METRICS" }],
    triggers: { crons: ["* * * * *"] },
    ...over,
  };
}

const local = env(
  "crossdock-",
  {},
  { PAYMENTS_PROVIDER: "sandbox", EMAIL_PROVIDER: "mailbox", FAULTS_ENABLED: "true" },
);
const prod = env("crossdock-prod-");
const strict = { allowPlaceholders: false };

describe("checkEnv", () => {
  it("passes a well-formed production and the local top level (sandbox, mailbox, faults on)", () => {
    expect(checkEnv("production", prod, local, strict)).toEqual([]);
    expect(checkEnv("local", local, local, strict)).toEqual([]);
  });

  it("fails a placeholder database id in a deployable env, unless placeholders are allowed", () => {
    const placeholder = env("crossdock-prod-", {
      d1_databases: [
        {
          binding: "DB",
          database_name: "crossdock-prod-db",
          database_id: "00000000-0000-0000-0000-000000000000",
        },
      ],
    });
    expect(checkEnv("production", placeholder, local, strict)).toEqual([
      expect.stringContaining("placeholder id"),
    ]);
    expect(checkEnv("production", placeholder, local, { allowPlaceholders: true })).toEqual([]);
    expect(isPlaceholderId("not-a-uuid")).toBe(true);
    expect(isPlaceholderId(undefined)).toBe(true);
    expect(isPlaceholderId(REAL_ID)).toBe(false);
  });

  it("fails the sandbox payment provider (also when unset) and the mailbox in production, not in staging", () => {
    const sandbox = env("crossdock-prod-", {}, { PAYMENTS_PROVIDER: "sandbox", EMAIL_PROVIDER: "mailbox" });
    expect(checkEnv("production", sandbox, local, strict)).toEqual([
      expect.stringContaining("PAYMENTS_PROVIDER"),
      expect.stringContaining("EMAIL_PROVIDER"),
    ]);
    expect(
      checkEnv("production", env("crossdock-prod-", {}, { PAYMENTS_PROVIDER: "" }), local, strict),
    ).toEqual([expect.stringContaining("PAYMENTS_PROVIDER")]);
    expect(
      checkEnv("staging", env("crossdock-staging-", {}, { PAYMENTS_PROVIDER: "sandbox" }), local, strict),
    ).toEqual([]);
  });

  it("fails FAULTS_ENABLED true outside local", () => {
    const faults = env("crossdock-prod-", {}, { FAULTS_ENABLED: "true" });
    expect(checkEnv("production", faults, local, strict)).toEqual([
      expect.stringContaining("FAULTS_ENABLED"),
    ]);
  });

  it("fails a secret the worker reads but [secrets] does not name, and one it names but the worker does not read", () => {
    const secrets = env("crossdock-prod-", {
      secrets: { required: ["ADMIN_EMAIL", "ADMIN_PASSWORD", "EMAIL_API_KEY", "STRIPE_KEY"] },
    });
    expect(checkEnv("production", secrets, local, strict)).toEqual([
      expect.stringMatching(/^Secret PAYMENTS_API_KEY is read by the worker/),
      expect.stringMatching(/^Secret STRIPE_KEY is in \[secrets\] required but not/),
    ]);
  });

  it("fails an env whose queues, crons or bindings differ from the top level's", () => {
    const drifted = env("crossdock-prod-", {
      triggers: { crons: ["*/5 * * * *"] },
      durable_objects: { bindings: [] },
    });
    expect(checkEnv("production", drifted, local, strict)).toEqual([
      expect.stringMatching(/^Durable Object bindings differ.*missing ORDER_SAGA/),
      expect.stringMatching(/^crons differ/),
    ]);
    expect(checkEnv("production", env("crossdock-"), local, strict)).toContainEqual(
      expect.stringContaining("QUEUE_PREFIX must name"),
    );
  });
});

describe("queueTopology", () => {
  const topology = (producers: string[], consumers: [string, string | undefined][]) =>
    queueTopology(
      env("q-", {
        queues: {
          producers: producers.map((queue) => ({ binding: queue.toUpperCase(), queue })),
          consumers: consumers.map(([queue, dead_letter_queue]) => ({ queue, dead_letter_queue })),
        },
      }),
    );

  it("accepts produced and consumed queues whose DLQs are read, and one last-resort queue", () => {
    expect(
      topology(
        ["a", "b"],
        [
          ["a", "a-dlq"],
          ["b", "b-dlq"],
          ["a-dlq", "last"],
          ["b-dlq", "last"],
        ],
      ),
    ).toEqual([]);
  });

  it("fails a queue consumed but not produced, and produced but not consumed", () => {
    expect(
      topology(
        ["a", "orphan"],
        [
          ["a", "a-dlq"],
          ["a-dlq", "last"],
          ["ghost", "a-dlq"],
        ],
      ),
    ).toEqual([
      "Queue ghost is consumed but nothing produces to it.",
      "Queue orphan is produced to but nothing consumes it.",
    ]);
  });

  it("fails a DLQ that is not a queue anything reads (a typo), and a consumer without a DLQ", () => {
    expect(
      topology(
        ["a", "b"],
        [
          ["a", "a-dql"],
          ["b", undefined],
          ["a-dlq", "last"],
        ],
      ),
    ).toEqual([
      // The typo also leaves the real DLQ's consumer reading a queue nothing sends to.
      "Queue a-dlq is consumed but nothing produces to it.",
      "Queue a names dead-letter queue a-dql, which is not a queue anything reads.",
      "Queue b has no dead_letter_queue.",
      "Queue a-dlq names dead-letter queue last, which is not a queue anything reads.",
    ]);
  });

  it("fails dead-letter consumers spilling into more than one last-resort queue", () => {
    expect(
      topology(
        ["a", "b"],
        [
          ["a", "a-dlq"],
          ["b", "b-dlq"],
          ["a-dlq", "last"],
          ["b-dlq", "other"],
        ],
      ),
    ).toContainEqual(expect.stringContaining("spill into 2 queues"));
  });
});

describe("distinctResources", () => {
  it("fails staging and production sharing a database, bucket or queue prefix", () => {
    expect(distinctResources({ staging: env("crossdock-staging-"), production: prod })).toEqual([]);
    expect(distinctResources({ staging: prod, production: prod })).toHaveLength(3);
  });
});

describe("planProvision", () => {
  const none = { databases: [], queues: [], buckets: [] };

  it("creates the database, then the last-resort queue, the DLQs, the queues, then the bucket", () => {
    expect(planProvision(prod, none).map((c) => c.args.join(" "))).toEqual([
      "d1 create crossdock-prod-db",
      "queues create crossdock-prod-dead-letters-unstored",
      "queues create crossdock-prod-email-dlq",
      "queues create crossdock-prod-email",
      "r2 bucket create crossdock-prod-files",
    ]);
  });

  it("skips what the account already has, so a second run creates nothing", () => {
    const all = {
      databases: ["crossdock-prod-db"],
      queues: ["crossdock-prod-email", "crossdock-prod-email-dlq", "crossdock-prod-dead-letters-unstored"],
      buckets: ["crossdock-prod-files"],
    };
    expect(planProvision(prod, all).every((c) => c.skip === "exists")).toBe(true);
    const partly = planProvision(prod, { ...none, queues: ["crossdock-prod-email"] });
    expect(partly.filter((c) => c.skip).map((c) => c.args.join(" "))).toEqual([
      "queues create crossdock-prod-email",
    ]);
  });
});

describe("shard bindings", () => {
  const db = (binding: string) => ({
    binding,
    database_name: `crossdock-prod-${binding}`,
    database_id: REAL_ID,
  });
  const sharded = (n: string, bindings: string[]) =>
    env("crossdock-prod-", { d1_databases: bindings.map(db) }, { D1_SHARDS: n });
  const localWithShards = env("crossdock-", {}, { D1_SHARDS: "1" });

  it("given D1_SHARDS=4 with DB_SHARD_1..3 bound, then production has no shard problem, though local has one database", () => {
    const problems = checkEnv(
      "production",
      sharded("4", ["DB", "DB_SHARD_1", "DB_SHARD_2", "DB_SHARD_3"]),
      localWithShards,
      strict,
    );
    expect(problems.filter((p) => /SHARD|D1 bindings/.test(p))).toEqual([]);
  });

  it("given D1_SHARDS=3 with DB_SHARD_2 missing, then it names the missing binding", () => {
    const problems = checkEnv("production", sharded("3", ["DB", "DB_SHARD_1"]), localWithShards, strict);
    expect(problems).toContain("D1_SHARDS is 3 but no D1 database is bound as DB_SHARD_2.");
  });

  it("given a shard binding that D1_SHARDS does not count, then it says nothing routes to it", () => {
    const problems = checkEnv("local", sharded("1", ["DB", "DB_SHARD_1"]), localWithShards, strict);
    expect(problems).toContain("D1 DB_SHARD_1 is bound but D1_SHARDS (1) routes nothing to it.");
  });

  it("given D1_SHARDS that is not a count, then it refuses it", () => {
    const problems = checkEnv("local", sharded("two", ["DB"]), localWithShards, strict);
    expect(problems.some((p) => p.startsWith('D1_SHARDS is "two"'))).toBe(true);
  });
});
