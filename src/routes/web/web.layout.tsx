import type { Child } from "hono/jsx";
import type { AccountPrincipal } from "../../flows/accounts/principal";
import { Layout, type NavLink, type PageProps } from "../../platform/http/pages/layout";
import { SIGN_IN_PATH, SIGN_OUT_PATH, SIGN_UP_PATH } from "./session";

/**
 * The frame of every storefront and merchant page: the area's links, the cart, who is signed in. One
 * stylesheet (public/web/web.css) holds the visual system; one small script (public/web/web.js) enhances
 * the live parts, and pages add their own through `head`. Nothing comes from another host.
 */
export const WebLayout = ({
  title,
  section,
  head,
  nav,
  who,
  cartItems,
  children,
}: PageProps & {
  nav: NavLink[];
  who: AccountPrincipal | undefined;
  cartItems: number;
  children?: Child;
}) => (
  <Layout
    title={title}
    nav={nav}
    current={section}
    wide
    head={
      <>
        <link rel="stylesheet" href="/web/web.css" />
        <script type="module" src="/web/web.js" />
        {head}
      </>
    }
    headerEnd={
      <div class="web-tools">
        {who?.role !== "merchant" && (
          <a href="/shop/cart" class="cart-link">
            Cart <span class="cart-count">{cartItems}</span>
            <span class="visually-hidden"> {cartItems === 1 ? "item" : "items"}</span>
          </a>
        )}
        {who ? (
          <form method="post" action={SIGN_OUT_PATH} class="inline-form">
            <span class="muted">{who.user.email}</span> <button type="submit">Sign out</button>
          </form>
        ) : (
          <>
            <a href={SIGN_IN_PATH}>Sign in</a> <a href={SIGN_UP_PATH}>Create an account</a>
          </>
        )}
      </div>
    }
  >
    {children}
  </Layout>
);
