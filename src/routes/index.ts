import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/http/app-env";
import { analyticsRoutes } from "./analytics";
import { apiKeyRoutes } from "./api-keys";
import { authRoutes } from "./auth";
import { catalogImportRoutes } from "./catalog-imports";
import { healthRoutes } from "./health";
import { jobRoutes } from "./jobs";
import { merchantOrderRoutes } from "./merchant-orders";
import { opsRoutes } from "./ops";
import { orderRoutes } from "./orders";
import { problemRoutes } from "./problems";
import { productRoutes } from "./products";
import { quoteRoutes } from "./quotes";
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
