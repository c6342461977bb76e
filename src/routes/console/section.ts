import { Hono } from "hono";
import type { AppEnv } from "../../platform/http/app-env";

/**
 * One part of the console: its link in the header and its routes (full paths under /console, like the
 * API's routers). src/routes/console/index.tsx lists the sections; the nav follows from that list.
 * Pages render with `c.render(content, { title, section })`, which wraps them in the console's frame.
 *
 * @example
 * export const jobsSection = consoleSection("Jobs", "/console/jobs", (r) =>
 *   r.get("/console/jobs", async (c) => c.render(<JobsTable jobs={...} />, { title: "Jobs", section: "/console/jobs" })),
 * );
 */
export interface ConsoleSection {
  label: string;
  href: string;
  /** Whether the section has a link in the header (a trace is reached from an order or a search). */
  inNav: boolean;
  routes: Hono<AppEnv>;
}

export function consoleSection(
  label: string,
  href: string,
  build: (routes: Hono<AppEnv>) => Hono<AppEnv>,
  { inNav = true }: { inNav?: boolean } = {},
): ConsoleSection {
  return { label, href, inNav, routes: build(new Hono<AppEnv>()) };
}
