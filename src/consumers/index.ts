import type { Consumer } from "../platform/events/consumer";
import { runConsumer } from "../platform/events/consumer-runtime";
import { type ConsumerName, consumerForDeadLetterQueue, consumerForQueue } from "../platform/events/registry";
import { createLogger } from "../platform/observability/logger";
import { userStatsConsumer } from "./accounts/user-stats";
import { analyticsConsumer } from "./analytics";
import { catalogImportChunksConsumer } from "./catalog-import/catalog-import-chunks";
import { catalogImportsConsumer } from "./catalog-import/catalog-imports";
import { merchantOrdersConsumer } from "./checkout/merchant-orders";
import { orderProjectionConsumer } from "./checkout/order-projection";
import { orderSagaConsumer } from "./checkout/order-saga";
import { handleDeadLetters } from "./dead-letters";
import { emailConsumer } from "./email/email";
import { reportsConsumer } from "./reports/reports";
import { salesLinesConsumer } from "./reports/sales-lines";
import { settlementEntriesConsumer } from "./settlements/settlement-entries";
import { settlementsConsumer } from "./settlements/settlements";

/** Every consumer in the topology, under its own name (checked by the type). */
const CONSUMER_HANDLERS: { readonly [N in ConsumerName]: Consumer & { name: N } } = {
  email: emailConsumer,
  "user-stats": userStatsConsumer,
  "order-saga": orderSagaConsumer,
  "order-projection": orderProjectionConsumer,
  "merchant-orders": merchantOrdersConsumer,
  "settlement-entries": settlementEntriesConsumer,
  settlements: settlementsConsumer,
  analytics: analyticsConsumer,
  "sales-lines": salesLinesConsumer,
  reports: reportsConsumer,
  "catalog-imports": catalogImportsConsumer,
  "catalog-import-chunks": catalogImportChunksConsumer,
};

/**
 * The worker's queue handler: a consumer's own queue goes to its runtime, any `*-dlq` to the
 * dead-letter consumer. A batch from a queue nobody owns is retried, never acked: a configuration
 * mistake must keep the messages (they reach that queue's DLQ after its retries) and be loud.
 */
export async function handleQueue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
  const consumer = consumerForQueue(batch.queue);
  if (consumer) return runConsumer(CONSUMER_HANDLERS[consumer], batch, env, ctx);
  const deadLettersOf = consumerForDeadLetterQueue(batch.queue);
  if (deadLettersOf) return handleDeadLetters(deadLettersOf, batch, env);
  createLogger({ queue: batch.queue }).error("queue.unknown", {
    messages: batch.messages.length,
    note: "no consumer owns this queue; retrying the batch",
  });
  batch.retryAll();
}
