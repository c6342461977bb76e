import type { Child } from "hono/jsx";
import { Layout, type NavLink, type PageProps } from "../../platform/http/pages/layout";
import { SIGN_OUT_PATH } from "./session";

/** Where the header's search box sends its query (any id, an email: see the Find page). */
export const FIND_PATH = "/console/find";

/**
 * The frame of every console page: the sections' links, one search box for any id, who is signed in
 * and a sign-out button. Wide, for tables of figures. Its stylesheet and script are static assets
 * (public/console/), the chart library is vendored from npm by `npm install` (scripts/vendor-assets.mjs):
 * nothing comes from another host.
 */
export const ConsoleLayout = ({
  title,
  section,
  nav,
  who,
  head,
  children,
}: PageProps & { nav: NavLink[]; who: string | undefined; children?: Child }) => (
  <Layout
    title={`${title} · Console`}
    nav={nav}
    current={section}
    wide
    head={
      <>
        <link rel="stylesheet" href="/console/console.css" />
        <script type="module" src="/console/console.js" />
        {head}
      </>
    }
    headerEnd={
      who && (
        <div class="console-tools">
          <search>
            <form method="get" action={FIND_PATH}>
              <label for="console-find">Find</label>{" "}
              <input
                id="console-find"
                name="q"
                type="search"
                required
                maxlength={320}
                placeholder="order, job, event, request id, email, merchant"
              />{" "}
              <button type="submit">Go</button>
            </form>
          </search>
          <form method="post" action={SIGN_OUT_PATH}>
            <span class="muted">{who}</span> <button type="submit">Sign out</button>
          </form>
        </div>
      )
    }
  >
    {children}
  </Layout>
);
