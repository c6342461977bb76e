import type { FloorEnv } from "./index";

type Sort = "relevance" | "price_asc" | "price_desc" | "newest";

const ROW =
  "p.seq, p.id, p.merchant_id, p.sku, p.title, p.description, p.category, p.price_minor, p.currency, p.stock," +
  " p.created_at, p.updated_at";
type Row = [
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  number,
  number,
  number | null,
];

const KEY: Record<Exclude<Sort, "relevance">, [column: string, dir: "ASC" | "DESC"]> = {
  price_asc: ["price_minor", "ASC"],
  price_desc: ["price_minor", "DESC"],
  newest: ["created_at", "DESC"],
};

/** FNV-1a, 32 bits, as hex: the cursor's tie to its filters. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const b64url = (json: string) => btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * GET /v1/products by hand, for the queries the benchmark sends (valid ones; no validation): the text
 * as an FTS5 prefix query, then the cheapest SQL for each shape — for relevance, bm25 over the matches
 * and only the page's rows read; for a sort, the (category, key, seq) or (key, seq) index walked in
 * order from the cursor.
 */
export async function searchProducts(request: Request, env: FloorEnv, url: URL): Promise<Response> {
  const q = url.searchParams;
  const words = (q.get("q") ?? "").match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu)?.slice(0, 10) ?? [];
  const match =
    words.length === 0
      ? null
      : words.map((w, i) => `"${w}"${i === words.length - 1 ? "*" : ""}`).join(" AND ");
  const category = q.get("category");
  const min = q.has("minPrice") ? Number(q.get("minPrice")) : null;
  const max = q.has("maxPrice") ? Number(q.get("maxPrice")) : null;
  const asked = q.get("sort") as Sort | null;
  const sort: Sort =
    match === null ? (asked === null || asked === "relevance" ? "newest" : asked) : (asked ?? "relevance");
  const limit = Number(q.get("limit") ?? 20);
  const fingerprint = fnv(JSON.stringify([match, category, min, max]));
  const cursor = q.get("cursor");
  const after =
    cursor === null
      ? null
      : (JSON.parse(atob(cursor.replace(/-/g, "+").replace(/_/g, "/"))).k as [number, number]);

  const where: string[] = [];
  const args: (string | number)[] = [];
  const cond = (condition: string, ...values: (string | number)[]) => {
    where.push(condition);
    args.push(...values);
  };
  if (match !== null && sort === "relevance") args.push(match);
  if (match !== null && sort !== "relevance") {
    cond("p.seq IN (SELECT rowid FROM products_fts WHERE products_fts MATCH ?)", match);
  }
  if (category !== null) cond("p.category = ?", category);
  if (min !== null) cond("p.price_minor >= ?", min);
  if (max !== null) cond("p.price_minor <= ?", max);
  let sql: string;
  if (sort === "relevance") {
    const join = where.length > 0 ? " JOIN products p ON p.seq = m.seq" : "";
    if (after) cond("(m.score, m.seq) > (?, ?)", ...after);
    sql =
      "WITH m AS MATERIALIZED (SELECT rowid AS seq, bm25(products_fts, 10.0, 2.0, 1.0) AS score FROM products_fts WHERE products_fts MATCH ?)," +
      ` top AS MATERIALIZED (SELECT m.seq, m.score FROM m${join}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY m.score, m.seq LIMIT ?)` +
      ` SELECT ${ROW}, top.score FROM top JOIN products p ON p.seq = top.seq ORDER BY top.score, top.seq`;
  } else {
    const [column, dir] = KEY[sort];
    if (after) cond(`(p.${column}, p.seq) ${dir === "ASC" ? ">" : "<"} (?, ?)`, ...after);
    sql = `SELECT ${ROW}, NULL FROM products p${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY p.${column} ${dir}, p.seq ${dir} LIMIT ?`;
  }
  args.push(limit + 1);
  // A D1 session, as crossdock's search reads through (read replication): its bookmark header is part
  // of the answer, and a person writing this by hand for replicas would open one too.
  const d1 = env.DB.withSession(request.headers.get("x-d1-bookmark")?.trim() || "first-unconstrained");
  const rows = await d1
    .prepare(sql)
    .bind(...args)
    .raw<Row>();
  const page = rows.slice(0, limit);
  const last = rows.length > limit ? page.at(-1) : undefined;
  const keys = !last
    ? null
    : sort === "relevance"
      ? [last[12], last[0]]
      : sort === "newest"
        ? [last[10], last[0]]
        : [last[7], last[0]];
  const bookmark = d1.getBookmark();
  return Response.json(
    {
      items: page.map(
        ([
          ,
          id,
          merchantId,
          sku,
          title,
          description,
          cat,
          amount,
          currency,
          stock,
          createdAt,
          updatedAt,
        ]) => ({
          id,
          merchantId,
          sku,
          title,
          description,
          category: cat,
          price: { amount, currency },
          stock,
          createdAt: new Date(createdAt).toISOString(),
          updatedAt: new Date(updatedAt).toISOString(),
        }),
      ),
      nextCursor: keys === null ? null : b64url(JSON.stringify({ v: 1, s: sort, k: keys, f: fingerprint })),
    },
    bookmark ? { headers: { "x-d1-bookmark": bookmark } } : undefined,
  );
}
