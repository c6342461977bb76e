/** A page's HTML, after checking its status and that it is a page (not a problem document). */
export async function pageOf(res: Response, status = 200): Promise<string> {
  const html = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${html.slice(0, 500)}`);
  if (!res.headers.get("content-type")?.startsWith("text/html"))
    throw new Error(`not a page: ${html.slice(0, 200)}`);
  return html;
}

const unescapeHtml = (s: string) => s.replaceAll("&amp;", "&");

/** The "Next page" link's path and query, or null on the last page. */
export const nextPageOf = (html: string): string | null => {
  const href = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  return href === undefined ? null : unescapeHtml(href);
};

/** The ids a page links to under `prefix` (e.g. `/console/events/`), in page order, each once. */
export const linkedIds = (html: string, prefix: string): string[] => {
  const ids = [...html.matchAll(new RegExp(`href="${prefix}([^"?/]+)"`, "g"))].map((m) =>
    decodeURIComponent(unescapeHtml(m[1] as string)),
  );
  return [...new Set(ids)];
};
