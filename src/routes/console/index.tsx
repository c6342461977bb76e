import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { jsxRenderer } from "hono/jsx-renderer";
import type { AppEnv } from "../../platform/http/app-env";
import { ConsoleLayout } from "./console.layout";
import { deadLettersSection } from "./dead-letters";
import { findSection } from "./find";
import { homeSection } from "./home";
import { signInRoutes } from "./login";
import { ordersSection } from "./orders";
import { auditSection } from "./records/audit";
import { costsSection } from "./records/costs";
import { deliveriesSection } from "./records/deliveries";
import { eventsSection } from "./records/events";
import { gamedaysSection } from "./records/gamedays";
import { jobsSection } from "./records/jobs";
import { mailboxSection } from "./records/mailbox";
import { settlementsSection } from "./records/settlements";
import type { ConsoleSection } from "./section";
import { consoleSession } from "./session";
import { tracesSection } from "./traces";

/** The console's sections in header order; a new page is one entry here. */
export const CONSOLE_SECTIONS: ConsoleSection[] = [
  homeSection,
  ordersSection,
  deadLettersSection,
  eventsSection,
  deliveriesSection,
  jobsSection,
  mailboxSection,
  settlementsSection,
  gamedaysSection,
  costsSection,
  auditSection,
  findSection,
  tracesSection,
];

const NAV = CONSOLE_SECTIONS.filter((s) => s.inNav).map(({ href, label }) => ({ href, label }));

/**
 * The operator's console at /console: server-rendered pages (Hono JSX) for admins, progressively
 * enhanced by one small script. Every form post is checked by hono's `csrf` (its Origin, or Sec-Fetch-Site,
 * must be this site's) on top of the session cookie's SameSite=Strict; every action is audited
 * (`consoleAction`). Not part of the OpenAPI document: pages, not API operations. (`/console/*` covers
 * `/console` itself in hono's router.)
 */
export const consoleRoutes = new Hono<AppEnv>()
  .use("/console/*", csrf(), consoleSession)
  .use(
    "/console/*",
    jsxRenderer(({ children, title, section, head }, c) => (
      <ConsoleLayout
        title={title}
        section={section}
        head={head}
        nav={NAV}
        who={c.get("principal")?.user.email}
      >
        {children}
      </ConsoleLayout>
    )),
  )
  .route("/", signInRoutes);

for (const section of CONSOLE_SECTIONS) consoleRoutes.route("/", section.routes);
