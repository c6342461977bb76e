import { expect } from "vitest";
import type { WebVisitor } from "./web";

/** A page's HTML after checking its status (and that it is a page, not JSON). */
export async function pageOf(visitor: WebVisitor, path: string, status = 200): Promise<string> {
  const res = await visitor.get(path);
  expect(res.status, path).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/text\/html/);
  return res.text();
}

/** The text of a page's `role="alert"` or `role="status"` element (the first one). */
export function roleText(html: string, role: "alert" | "status"): string | undefined {
  const m = new RegExp(`role="${role}"[^>]*>([\\s\\S]*?)</p>`).exec(html);
  return m?.[1] === undefined ? undefined : unescapeHtml(m[1].replace(/<[^>]+>/g, "")).trim();
}

const ENTITIES: Record<string, string> = {
  "&#39;": "'",
  "&quot;": '"',
  "&lt;": "<",
  "&gt;": ">",
  "&amp;": "&",
};
const unescapeHtml = (text: string) => text.replace(/&#39;|&quot;|&lt;|&gt;|&amp;/g, (e) => ENTITIES[e] ?? e);
