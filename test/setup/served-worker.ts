import type { TestProject } from "vitest/node";
import { SERVED_PORTS, startServedWorker } from "../support/served-worker";

declare module "vitest" {
  interface ProvidedContext {
    /** The origin of the production bundle the browser tests load pages from (`inject("baseUrl")`). */
    baseUrl: string;
  }
}

/**
 * Global setup of the browser project: one served worker for all its files (a build and a workerd start
 * take most of a minute on a small machine), stopped when the run ends.
 */
export default async function setup(project: TestProject) {
  // CROSSDOCK_BROWSER_PORT: another port, for two checkouts running their browser tests side by side.
  const server = await startServedWorker(Number(process.env.CROSSDOCK_BROWSER_PORT) || SERVED_PORTS.browser);
  project.provide("baseUrl", server.url);
  return () => server.stop();
}
