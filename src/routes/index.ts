import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../platform/http/app-env";
import { healthRoutes } from "./health";
import { productRoutes } from "./products";

/** Every feature's router, mounted at the root; each router's contract carries its full path. */
export function registerRoutes(app: OpenAPIHono<AppEnv>): void {
  app.route("/", healthRoutes);
  app.route("/", productRoutes);
}
