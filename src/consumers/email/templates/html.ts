/** What every template returns: a subject, a plain-text part and an HTML part saying the same. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * A minimal HTML document around paragraphs that are already escaped; the title is escaped here.
 * Inline styles only: mail clients drop stylesheets.
 */
export function layout(title: string, paragraphsHtml: readonly string[]): string {
  const body = paragraphsHtml.map((p) => `<p style="margin:0 0 16px">${p}</p>`).join("\n");
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
${body}
</body></html>`;
}
