import type { OpenAPIHono } from "@hono/zod-openapi";
import { userStatsConsumer } from "./consumers/accounts/user-stats";
import { analyticsConsumer } from "./consumers/analytics";
import { catalogImportChunksConsumer } from "./consumers/catalog-import/catalog-import-chunks";
import { catalogImportsConsumer } from "./consumers/catalog-import/catalog-imports";
import { merchantOrdersConsumer } from "./consumers/checkout/merchant-orders";
import { orderProjectionConsumer } from "./consumers/checkout/order-projection";
import { orderSagaConsumer } from "./consumers/checkout/order-saga";
import { emailConsumer } from "./consumers/email/email";
import { reportsConsumer } from "./consumers/reports/reports";
import { salesLinesConsumer } from "./consumers/reports/sales-lines";
import { settlementEntriesConsumer } from "./consumers/settlements/settlement-entries";
import { settlementsConsumer } from "./consumers/settlements/settlements";
import type { FLOWS, FlowName } from "./flows";
import type { Consumer } from "./platform/events/consumer";
import type { AppEnv } from "./platform/http/app-env";
import { apiKeyRoutes } from "./routes/accounts/api-keys";
import { authRoutes } from "./routes/accounts/auth";
import { analyticsRoutes } from "./routes/analytics";
import { productRoutes } from "./routes/catalog";
import { catalogImportRoutes } from "./routes/catalog-import";
import { merchantOrderRoutes } from "./routes/checkout/merchant-orders";
import { orderRoutes } from "./routes/checkout/orders";
import { opsRoutes } from "./routes/ops";
import { quoteRoutes } from "./routes/pricing";
import { reportRoutes } from "./routes/reports";
import { settlementRoutes } from "./routes/settlements";

type Declared<F extends FlowName> = Extract<(typeof FLOWS)[number], { name: F }>;

/** What a flow exposes to the worker: its routers, and one handler per consumer its flow.ts declares. */
interface EntryPoints<F extends FlowName> {
  routes: readonly OpenAPIHono<AppEnv>[];
  consumers: { readonly [N in keyof Declared<F>["consumers"]]: Consumer & { name: N } };
}

/**
 * Each flow's entry points, keyed by its name (src/flows/index.ts lists the flows). The type demands an
 * entry for every flow and a handler for every consumer its flow.ts declares, and nothing else: a flow
 * added there without its entry here does not compile. The worker mounts the routes (src/app.ts) and
 * dispatches queues (src/consumers/index.ts) from this one map.
 */
export const ENTRY_POINTS = {
  accounts: { routes: [authRoutes, apiKeyRoutes], consumers: { "user-stats": userStatsConsumer } },
  catalog: { routes: [productRoutes], consumers: {} },
  "catalog-import": {
    routes: [catalogImportRoutes],
    consumers: {
      "catalog-imports": catalogImportsConsumer,
      "catalog-import-chunks": catalogImportChunksConsumer,
    },
  },
  pricing: { routes: [quoteRoutes], consumers: {} },
  checkout: {
    routes: [orderRoutes, merchantOrderRoutes],
    consumers: {
      "order-saga": orderSagaConsumer,
      "order-projection": orderProjectionConsumer,
      "merchant-orders": merchantOrdersConsumer,
    },
  },
  settlements: {
    routes: [settlementRoutes],
    consumers: { "settlement-entries": settlementEntriesConsumer, settlements: settlementsConsumer },
  },
  analytics: { routes: [analyticsRoutes], consumers: { analytics: analyticsConsumer } },
  reports: {
    routes: [reportRoutes],
    consumers: { reports: reportsConsumer, "sales-lines": salesLinesConsumer },
  },
  ops: { routes: [opsRoutes], consumers: {} },
  email: { routes: [], consumers: { email: emailConsumer } },
} as const satisfies { readonly [F in FlowName]: EntryPoints<F> };
