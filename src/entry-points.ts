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
import { FLOWS, type FlowName } from "./flows";
import { previousDay } from "./flows/settlements/period";
import { runSettlements } from "./flows/settlements/run-settlements";
import type { Consumer } from "./platform/events/consumer";
import type { AppEnv } from "./platform/http/app-env";
import { createLogger } from "./platform/observability/logger";
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

type CronsOf<F extends FlowName> = Declared<F> extends { crons: infer C } ? C : Record<never, never>;

/** What a flow's cron runs: given the bindings and the time the trigger was scheduled for. */
export type CronHandler = (env: Env, scheduledTime: number) => Promise<unknown>;

/**
 * What a flow exposes to the worker: its routers, one handler per consumer its flow.ts declares, and one
 * per cron it declares (no `crons` when it declares none).
 */
type EntryPoints<F extends FlowName> = {
  routes: readonly OpenAPIHono<AppEnv>[];
  consumers: { readonly [N in keyof Declared<F>["consumers"]]: Consumer & { name: N } };
} & (keyof CronsOf<F> extends never
  ? { crons?: never }
  : { crons: { readonly [C in keyof CronsOf<F>]: CronHandler } });

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
    crons: {
      "settle-yesterday": (env, now) =>
        runSettlements(env, previousDay(now), {
          now,
          log: createLogger({ component: "settlements" }),
          trigger: "cron:settle-yesterday",
        }),
    },
  },
  analytics: { routes: [analyticsRoutes], consumers: { analytics: analyticsConsumer } },
  reports: {
    routes: [reportRoutes],
    consumers: { reports: reportsConsumer, "sales-lines": salesLinesConsumer },
  },
  ops: { routes: [opsRoutes], consumers: {} },
  email: { routes: [], consumers: { email: emailConsumer } },
} as const satisfies { readonly [F in FlowName]: EntryPoints<F> };

/** Each flow's cron handler by its expression (the worker's `scheduled` dispatches on it). */
export const CRON_HANDLERS: ReadonlyMap<string, { name: string; run: CronHandler }> = new Map(
  FLOWS.flatMap((flow) => {
    const entry = ENTRY_POINTS[flow.name];
    const handlers: Readonly<Record<string, CronHandler>> = "crons" in entry ? entry.crons : {};
    const declared: Readonly<Record<string, string>> = "crons" in flow ? flow.crons : {};
    return Object.entries(declared).map(([name, expression]) => {
      const run = handlers[name];
      if (!run) throw new Error(`${flow.name}: cron ${name} has no handler in ENTRY_POINTS`);
      return [expression, { name: `${flow.name}:${name}`, run }] as const;
    });
  }),
);
