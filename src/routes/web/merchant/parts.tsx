import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { formatMoney } from "../../../flows/pricing/money";
import type { AppEnv } from "../../../platform/http/app-env";

/** The workspace's own stylesheet, on top of web.css. */
export const MERCHANT_CSS = <link rel="stylesheet" href="/web/merchant.css" />;

/** Money as the workspace shows it: see formatMoney. */
export const money = formatMoney;

/** An ISO time as a short UTC time ("2026-08-01 14:05 UTC"). */
export const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** A form field's text ("" when absent or a file). */
export const field = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string) : "";

/**
 * The short notices a form's redirect may name (`?done=<key>`): fixed words chosen by key, so a link
 * cannot make the page say anything else.
 */
const NOTICES = {
  "product-added": "Product added. It is in the catalog now.",
  "key-revoked": "API key revoked. It stopped working at once.",
} as const;
export type NoticeKey = keyof typeof NOTICES;

export const noticeUrl = (path: string, key: NoticeKey) => `${path}?done=${key}`;

/** The notice a post/redirect/get landed with, in a live region. */
export const DoneNotice = ({ c }: { c: Context<AppEnv> }) => {
  const key = c.req.query("done");
  const text = key !== undefined && key in NOTICES ? NOTICES[key as NoticeKey] : undefined;
  return text ? (
    <p role="status" class="notice notice-ok">
      {text}
    </p>
  ) : null;
};

export const FormError = ({ error }: { error?: string }) =>
  error ? (
    <p role="alert" class="notice notice-error">
      {error}
    </p>
  ) : null;

/**
 * Cursor paging as the API has it: forward only (a cursor is opaque), plus a way back to the start.
 * `query` holds the page's other parameters, kept on both links.
 */
export const Pager = ({
  path,
  cursor,
  nextCursor,
  query = {},
}: {
  path: string;
  cursor: string | undefined;
  nextCursor: string | null;
  query?: Record<string, string | undefined>;
}) => {
  if (!cursor && !nextCursor) return null;
  const href = (next?: string) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, cursor: next }))
      if (v !== undefined && v !== "") params.set(k, v);
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  return (
    <nav class="pager" aria-label="Pages">
      {cursor ? <a href={href()}>First page</a> : <span />}
      {nextCursor ? <a href={href(nextCursor)}>Next page</a> : <span class="muted">Last page</span>}
    </nav>
  );
};

/** A table with a caption, scrolling sideways on a narrow screen rather than squeezing its figures. */
export const Table = ({ caption, children }: { caption: string; children?: Child }) => (
  <div class="table-scroll">
    <table>
      <caption>{caption}</caption>
      {children}
    </table>
  </div>
);

/** The tone of a status badge: green when done, amber while in flight, red when it went wrong. */
export function tone(status: string): "ok" | "warn" | "danger" | "info" {
  if (["confirmed", "settled"].includes(status)) return "ok";
  if (["pending", "cancelling", "refunding"].includes(status)) return "warn";
  if (["failed", "cancelled", "refunded"].includes(status)) return "danger";
  return "info";
}

export const StatusBadge = ({ status }: { status: string }) => (
  <span class={`badge ${tone(status)}`}>{status}</span>
);
