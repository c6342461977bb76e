import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/http/app-env";
import { apiKeyRoutes } from "./accounts/api-keys";
import { authRoutes } from "./accounts/auth";
import { analyticsRoutes } from "./analytics";
import { productRoutes } from "./catalog";
import { catalogImportRoutes } from "./catalog-import";
import { merchantOrderRoutes } from "./checkout/merchant-orders";
import { orderRoutes } from "./checkout/orders";
import { healthRoutes } from "./health";
import { jobRoutes } from "./jobs";
import { opsRoutes } from "./ops";
import { quoteRoutes } from "./pricing";
import { problemRoutes } from "./problems";
import { reportRoutes } from "./reports";
import { settlementRoutes } from "./settlements";

/** Every feature's router, mounted at the root; each router's contract carries its full path. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  app.route("/", healthRoutes);
  app.route("/", problemRoutes);
  app.route("/", authRoutes);
  app.route("/", apiKeyRoutes);
  app.route("/", productRoutes);
  app.route("/", catalogImportRoutes);
  app.route("/", quoteRoutes);
  app.route("/", orderRoutes);
  app.route("/", merchantOrderRoutes);
  app.route("/", jobRoutes);
  app.route("/", settlementRoutes);
  app.route("/", analyticsRoutes);
  app.route("/", reportRoutes);
  app.route("/", opsRoutes);
}
