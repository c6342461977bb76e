import type { RouteHandler } from "@hono/zod-openapi";
import { CONSUMERS } from "../../flows";
import { getDb } from "../../platform/db/client";
import { ConflictError, UnprocessableError } from "../../platform/errors";
import { outboxBulkStatements } from "../../platform/events/outbox";
import { publishAfterCommit } from "../../platform/events/publish";
import { type ConsumerName, isConsumerName } from "../../platform/events/registry";
import {
  factsCorrelatedWith,
  newestPublished,
  type SyntheticFacts,
  synthesize,
} from "../../platform/events/synthetic";
import { PoisonEventError } from "../../platform/events/upcast";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { requestOrigin } from "../../platform/http/request-origin";
import type { backlogRoute } from "./backlog.routes";
import { requireFaultsEnabled } from "./ops.shared";

const names = (list: readonly string[]) => (list.length > 0 ? list.join(", ") : "none");

/** The consumer's synthetic facts, or the 422 that says which consumers have some. */
function syntheticOf(consumer: string): SyntheticFacts {
  const all = Object.keys(CONSUMERS) as ConsumerName[];
  const able = all.filter((name) => CONSUMERS[name].synthetic !== undefined);
  if (!isConsumerName(consumer)) {
    throw new UnprocessableError(
      `No consumer is named '${consumer}'. Consumers: ${names(all)}.`,
      "unknown-consumer",
      { consumers: all },
    );
  }
  const spec = CONSUMERS[consumer].synthetic;
  if (!spec) {
    throw new UnprocessableError(
      `Consumer '${consumer}' declares no synthetic facts in its flow. Consumers that do: ${names(able)}.`,
      "no-synthetic-facts",
      { consumers: able },
    );
  }
  return spec;
}

/**
 * Writes `count` copies of the newest published fact the consumer's flow copies, through the outbox
 * like any fact (one D1 batch), and relays them after the response: the delivery ledger, the sweeper
 * and every subscriber treat them as the real facts they are.
 */
export const writeBacklog: RouteHandler<typeof backlogRoute, AppEnv> = async (c) => {
  const { consumer, count, tag } = c.req.valid("json");
  requireFaultsEnabled(c.env, "build a synthetic backlog");
  const spec = syntheticOf(consumer);
  const db = getDb(c.env.DB);
  const correlationId = `backlog-${tag}`;
  let template: Awaited<ReturnType<typeof newestPublished>>;
  try {
    template = await newestPublished(db, spec.from);
  } catch (err) {
    if (!(err instanceof PoisonEventError)) throw err;
    throw new ConflictError(
      `The newest published ${spec.from} cannot be read as a current fact (${err.message}); send a new one first.`,
      "no-template-fact",
    );
  }
  if (!template) {
    throw new ConflictError(
      `No ${spec.from} fact has been published yet to copy: send one real fact first (for analytics: POST /v1/events).`,
      "no-template-fact",
    );
  }
  const now = c.var.clock.now();
  const { causation, record } = requestOrigin(c, principalOf(c).userId);
  const facts = synthesize(spec, {
    template,
    count,
    first: (await factsCorrelatedWith(db, correlationId)) + 1,
    tag,
    // Correlated by the backlog, so its trace (/ops/traces/backlog-<tag>) gathers every call's facts;
    // caused by this request, and rooted in its record under the backlog's name.
    causation: { ...causation, correlationId },
    now,
  });
  const [first, ...rest] = outboxBulkStatements(db, facts, { ...record, requestId: correlationId }, now);
  await db.batch([first!, ...rest]);
  publishAfterCommit(c, facts);
  c.get("log").info("backlog.written", { consumer, eventType: spec.from, count, correlationId });
  return c.json({ consumer, eventType: spec.from, count, correlationId, template: template.id }, 202);
};
