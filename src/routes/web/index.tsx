import { type Context, Hono } from "hono";
import { csrf } from "hono/csrf";
import { jsxRenderer } from "hono/jsx-renderer";
import type { AppEnv } from "../../platform/http/app-env";
import type { PageSection } from "../../platform/http/pages/section";
import { PROBLEM_CONTENT_TYPE, type Problem } from "../../platform/http/problem";
import { accountSection } from "./account";
import { carryD1Bookmark } from "./d1-bookmark-cookie";
import { ApiProblem, errorPage } from "./errors";
import { merchantAnalyticsSection } from "./merchant/analytics";
import { merchantApiKeysSection } from "./merchant/api-keys";
import { merchantHomeSection } from "./merchant/home";
import { importsSection } from "./merchant/imports";
import { jobsSection } from "./merchant/job-progress";
import { merchantOrdersSection } from "./merchant/orders";
import { merchantProductsSection } from "./merchant/products";
import { reportsSection } from "./merchant/reports";
import { merchantSettlementsSection } from "./merchant/settlements";
import { webSession } from "./session";
import { analyticsSection } from "./shop/analytics";
import { cartSection } from "./shop/cart";
import { cartCount } from "./shop/cart-cookie";
import { catalogSection } from "./shop/catalog";
import { checkoutSection } from "./shop/checkout";
import { orderSection } from "./shop/order-page";
import { ordersSection } from "./shop/orders";
import { productSection } from "./shop/product";
import { WebLayout } from "./web.layout";

/** The buyer's pages, in header order; a new page is one entry here. */
export const SHOP_SECTIONS: PageSection[] = [
  catalogSection,
  ordersSection,
  productSection,
  cartSection,
  checkoutSection,
  orderSection,
  analyticsSection,
];

/** The merchant workspace's pages, in header order. */
export const MERCHANT_SECTIONS: PageSection[] = [
  merchantHomeSection,
  merchantProductsSection,
  importsSection,
  merchantOrdersSection,
  reportsSection,
  merchantSettlementsSection,
  merchantApiKeysSection,
  merchantAnalyticsSection,
  jobsSection,
];

const navOf = (sections: PageSection[]) =>
  sections.filter((s) => s.inNav).map(({ href, label }) => ({ href, label }));
const SHOP_NAV = navOf(SHOP_SECTIONS);
const MERCHANT_NAV = navOf(MERCHANT_SECTIONS);

/** The pages' path prefixes: everything a person (not a program) uses, besides the console. */
const AREAS = ["/shop/*", "/merchant/*", "/account/*"] as const;

/**
 * The storefront (/shop) and the merchant workspace (/merchant), with sign-up and sign-in (/account):
 * server-rendered pages (Hono JSX) that work without JavaScript, enhanced by small scripts for the live
 * parts. They are clients of the API, called in-process (`self`, see selfApi): every action goes through
 * the same route, validation, idempotency key and problem a program would get. Forms are checked by
 * hono's `csrf` (Origin or Sec-Fetch-Site must be this site's); errors become pages with the API's status.
 * Not part of the OpenAPI document: pages, not API operations.
 */
export function webRoutes(self: (request: Request, c: Context<AppEnv>) => Promise<Response>) {
  const routes = new Hono<AppEnv>();
  for (const area of AREAS) {
    routes.use(
      area,
      async (c, next) => {
        c.set("self", (request) => self(request, c));
        await next();
        // The app's error handler has logged the error and answered JSON; a person gets a page instead.
        // So for a path no page has (the app's 404 or 405 problem). A page's script asks for JSON and
        // keeps the problem (POST /shop/analytics).
        if (c.req.header("accept")?.includes("json")) return;
        if (c.error) c.res = await errorPage(c, c.error);
        else if (c.res.headers.get("content-type")?.startsWith(PROBLEM_CONTENT_TYPE))
          c.res = await errorPage(c, new ApiProblem((await c.res.json()) as Problem));
      },
      csrf(),
      webSession,
      carryD1Bookmark,
      jsxRenderer(({ children, title, section, head }, c) => (
        <WebLayout
          title={title}
          section={section}
          head={head}
          nav={c.req.path.startsWith("/merchant") ? MERCHANT_NAV : SHOP_NAV}
          who={c.get("principal")}
          cartItems={cartCount(c)}
        >
          {children}
        </WebLayout>
      )),
    );
  }
  // A newcomer opening the root after `npm start` lands in the shop.
  routes.get("/", (c) => c.redirect("/shop", 302));
  for (const section of [accountSection, ...SHOP_SECTIONS, ...MERCHANT_SECTIONS])
    routes.route("/", section.routes);
  return routes;
}
