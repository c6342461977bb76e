import { Hono } from "hono";
import type { AppEnv } from "../app-env";

/**
 * One part of a set of pages (the console, the shop, the merchant workspace): its link in the header and
 * its routes (full paths, like the API's routers). Each set lists its sections once and its nav follows
 * from that list. Pages render with `c.render(content, { title, section })`, which wraps them in the
 * set's frame.
 *
 * @example
 * export const jobsSection = pageSection("Jobs", "/console/jobs", (r) =>
 *   r.get("/console/jobs", async (c) => c.render(<JobsTable jobs={...} />, { title: "Jobs", section: "/console/jobs" })),
 * );
 */
export interface PageSection {
  label: string;
  href: string;
  /** Whether the section has a link in the header (a trace is reached from an order or a search). */
  inNav: boolean;
  routes: Hono<AppEnv>;
}

export function pageSection(
  label: string,
  href: string,
  build: (routes: Hono<AppEnv>) => Hono<AppEnv>,
  { inNav = true }: { inNav?: boolean } = {},
): PageSection {
  return { label, href, inNav, routes: build(new Hono<AppEnv>()) };
}
