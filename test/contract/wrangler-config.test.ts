import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { checkEnv, DEPLOYABLE_ENVS, distinctResources } from "../../scripts/deploy/config-checks";
import { readEnv } from "../../scripts/deploy/read-config";
import { extraVars, faultsVar } from "../../scripts/local-runtime";
import { CRON_EXPRESSIONS } from "../../src/crons";
import { CONSUMERS } from "../../src/flows";
import { DEAD_LETTER_DELIVERY, type QueueDelivery } from "../../src/platform/events/registry";

// wrangler.toml states the queues and crons for Cloudflare; the code states them for the relay, the
// consumer dispatch and the retry logic. Read as wrangler reads it, the file must say exactly what the
// code declares: a renamed queue, a changed max_retries or a cron added on one side only fails here.
const config = unstable_readConfig(
  { config: join(import.meta.dirname, "..", "..", "wrangler.toml") },
  { hideWarnings: true },
);

const block = (queue: string, d: QueueDelivery, deadLetterQueue: string) => ({
  queue,
  max_batch_size: d.maxBatchSize,
  max_batch_timeout: d.maxBatchTimeout,
  max_retries: d.maxRetries,
  retry_delay: d.retryDelay,
  dead_letter_queue: deadLetterQueue,
});
const byQueue = <T extends { queue: string }>(list: T[]) =>
  [...list].sort((a, b) => a.queue.localeCompare(b.queue));
const consumers = Object.values(CONSUMERS);

describe("wrangler.toml equals the code's declarations", () => {
  it("has one producer binding per consumer queue, and no other", () => {
    expect(byQueue(config.queues.producers ?? [])).toEqual(
      byQueue(consumers.map((c) => ({ binding: c.producer, queue: c.queue }))),
    );
  });

  it("has each consumer's queue settings and DLQ, and a dead-letter consumer on every DLQ", () => {
    const expected = [
      ...consumers.map((c) => block(c.queue, c.delivery, c.deadLetterQueue)),
      ...consumers.map((c) =>
        block(c.deadLetterQueue, DEAD_LETTER_DELIVERY, DEAD_LETTER_DELIVERY.deadLetterQueue),
      ),
    ];
    const actual = (config.queues.consumers ?? []).map((c: ReturnType<typeof block>) => ({
      queue: c.queue,
      max_batch_size: c.max_batch_size,
      max_batch_timeout: c.max_batch_timeout,
      max_retries: c.max_retries,
      retry_delay: c.retry_delay,
      dead_letter_queue: c.dead_letter_queue,
    }));
    expect(byQueue(actual)).toEqual(byQueue(expected));
  });

  it("triggers exactly the declared crons", () => {
    expect([...config.triggers.crons].sort()).toEqual([...CRON_EXPRESSIONS].sort());
  });
});

describe("the deployable environments (npm run check:config)", () => {
  const local = readEnv("local");
  const envs = { staging: readEnv("staging"), production: readEnv("production") };

  it("pass every check but the placeholder ids, as CI builds them", () => {
    expect(checkEnv("local", local, local, { allowPlaceholders: false })).toEqual([]);
    for (const env of DEPLOYABLE_ENVS)
      expect(checkEnv(env, envs[env], local, { allowPlaceholders: true }), env).toEqual([]);
    expect(distinctResources(envs)).toEqual([]);
  });

  it("fail a real deploy until a database is provisioned", () => {
    expect(checkEnv("production", envs.production, local, { allowPlaceholders: false })).toEqual([
      expect.stringContaining("placeholder id"),
    ]);
  });
});

describe("fault injection (FAULTS_ENABLED)", () => {
  it("is off in production: wrangler.toml says false", () => {
    expect(config.vars.FAULTS_ENABLED).toBe("false");
  });

  it("is on under npm start unless .dev.vars or the environment says otherwise", () => {
    expect(faultsVar({}, {})).toEqual(["--var", "FAULTS_ENABLED:true"]);
    expect(faultsVar({}, { ADMIN_EMAIL: "a@b.c" })).toEqual(["--var", "FAULTS_ENABLED:true"]);
    expect(faultsVar({}, { FAULTS_ENABLED: "false" })).toEqual([]);
    expect(faultsVar({ FAULTS_ENABLED: "false" }, {})).toEqual(["--var", "FAULTS_ENABLED:false"]);
  });
});

describe("CROSSDOCK_VARS (a harness's variables for the runtime it starts)", () => {
  it("becomes one --var per key, and nothing when unset or empty", () => {
    expect(extraVars('{"ALERT_DLQ_MAX_COUNT":"10","ALERT_DLQ_MAX_AGE_SECONDS":"30"}')).toEqual([
      "--var",
      "ALERT_DLQ_MAX_COUNT:10",
      "--var",
      "ALERT_DLQ_MAX_AGE_SECONDS:30",
    ]);
    expect(extraVars(undefined)).toEqual([]);
    expect(extraVars("{}")).toEqual([]);
  });
});
