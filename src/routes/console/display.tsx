import type { Child } from "hono/jsx";

/** The stylesheet of the find, order and trace pages (`head` of their `c.render`). */
export const ORDER_PAGES_CSS = <link rel="stylesheet" href="/console/orders.css" />;

/**
 * Small pieces the find, order and trace pages share: times as operators read them (UTC, to the
 * millisecond, in a `<time>` a script or a screen reader can parse), durations, and a badge per status.
 */
export const When = ({ ms }: { ms: number | null }) => {
  if (ms === null) return <span class="muted">—</span>;
  const iso = new Date(ms).toISOString();
  return <time datetime={iso}>{`${iso.slice(0, 10)} ${iso.slice(11, 23)}`}</time>;
};

/**
 * @example
 * took(350); // "350 ms"
 * took(90_000); // "1.5 min"
 */
export function took(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const TONE: Record<string, "ok" | "warn" | "danger" | undefined> = {
  confirmed: "ok",
  refunded: "ok",
  succeeded: "ok",
  acked: "ok",
  cancelled: undefined,
  pending: "warn",
  cancelling: "warn",
  refunding: "warn",
  running: "warn",
  retrying: "warn",
  retried: "warn",
  injected: "warn",
  duplicate: undefined,
  failed: "danger",
  "timed-out": "danger",
  abandoned: "danger",
  "dead-lettered": "danger",
  stuck: "danger",
  captured: "ok",
  authorized: "warn",
  "capture-failed": "danger",
};

/** A status as a badge, coloured by how it reads to an operator (fine, moving, needs a look). */
export const Badge = ({ status, children }: { status: string; children?: Child }) => (
  <span class={`badge ${TONE[status] ?? ""}`.trim()}>{children ?? status}</span>
);

/** A link to a console page by path and id, with the id in code (ids are what operators copy). */
export const IdLink = ({ base, id }: { base: string; id: string }) => (
  <a href={`${base}/${encodeURIComponent(id)}`}>
    <code>{id}</code>
  </a>
);

/**
 * A wide table's scroll box: a region a keyboard can reach and scroll (a table wider than the screen
 * otherwise traps its right columns away from keyboard users), named after the table.
 */
export const Scroll = ({ label, children }: { label: string; children?: Child }) => (
  <section class="table-scroll" aria-label={label} tabindex={0}>
    {children}
  </section>
);
