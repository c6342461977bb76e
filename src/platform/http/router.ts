import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { validationHook } from "./validation";

/**
 * A router whose routes validate input against their contract and feed the OpenAPI document.
 * Every feature builds its routes on one of these so validation errors look the same everywhere.
 */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
