import { raw } from "hono/html";
import type { Child } from "hono/jsx";

/** What every page hands `c.render` (hono's jsxRenderer): the frame around it reads these. */
export interface PageProps {
  /** The page's title (the document title adds "Crossdock"). */
  title: string;
  /** The section this page belongs to, by its href: its nav link is marked current. */
  section?: string;
  /** More in head, e.g. a page's own script or stylesheet. */
  head?: Child;
}

declare module "hono" {
  // hono types `c.render` by merging into this interface; a type alias would not merge.
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: declaration merging needs the interface.
    (content: string | Promise<string>, props: PageProps): Response | Promise<Response>;
  }
}

/** A link in the page header. */
export interface NavLink {
  href: string;
  label: string;
}

export interface LayoutProps {
  /** The page's own title; the document title adds the site name after it. */
  title: string;
  /** Links in the header, e.g. the section's index and the API reference. */
  nav?: NavLink[];
  /** The link in `nav` for the page shown, marked `aria-current="page"`. */
  current?: string;
  /** Full width instead of a reading measure: tables of figures (the operator's console). */
  wide?: boolean;
  /** More in `head`: a page's stylesheet and scripts (served from the Worker's static assets). */
  head?: Child;
  /** More in the header, after the links: a search form, a sign-out button. */
  headerEnd?: Child;
  children?: Child;
}

// One small stylesheet for every server-rendered page: system fonts, a readable measure, colours that
// pass WCAG AA (body #1a1a1a and links #0b57d0 on white, muted #4d4d4d), and long words (slugs, ids)
// that wrap instead of widening a phone's page.
const STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff; }
.site, main { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
.wide .site, .wide main { max-width: 90rem; }
header { border-bottom: 1px solid #d9d9d9; }
.site { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; align-items: baseline; padding-top: .75rem; padding-bottom: .75rem; }
.site-name { font-weight: 700; }
nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; list-style: none; }
main { padding-top: 1rem; padding-bottom: 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1rem 0; }
h1, p, li, dd { overflow-wrap: anywhere; }
a { color: #0b57d0; text-underline-offset: .15em; }
a:visited { color: #6b3fa0; }
a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
h1 code { font-size: 1em; }
.muted { color: #4d4d4d; }
dt { font-weight: 600; margin-top: 1rem; }
dd { margin: .25rem 0 0; }
`;

/**
 * The document around every server-rendered page: language, viewport, title, a header with the site's
 * name and the given links, and the page in the `main` landmark. Pages start their content with an h1.
 *
 * @example
 * c.html(
 *   <Layout title="Dead letters" nav={[{ href: "/docs", label: "API reference" }]}>
 *     <h1>Dead letters</h1>
 *   </Layout>,
 * );
 */
export const Layout = ({ title, nav = [], current, wide, head, headerEnd, children }: LayoutProps) => (
  <>
    {raw("<!doctype html>")}
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Crossdock`}</title>
        {/* No icon: without this line every page view also asks for /favicon.ico, a 404. */}
        <link rel="icon" href="data:," />
        <style>{raw(STYLE)}</style>
        {head}
      </head>
      <body class={wide ? "wide" : undefined}>
        <header>
          <div class="site">
            <span class="site-name">Crossdock</span>
            {nav.length > 0 && (
              <nav aria-label="Site">
                <ul>
                  {nav.map((link) => (
                    <li key={link.href}>
                      <a href={link.href} aria-current={link.href === current ? "page" : undefined}>
                        {link.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
            {headerEnd}
          </div>
        </header>
        <main>{children}</main>
      </body>
    </html>
  </>
);
