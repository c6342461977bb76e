import type { RouteHandler } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { products } from "../../flows/catalog/schema";
import { toSearchPage } from "../../flows/catalog/search-page";
import { planProductSearch, SEARCH_PAGE_SIZE } from "../../flows/catalog/search-plan";
import { buildProductSearch, type ProductSearchRow } from "../../flows/catalog/search-products";
import { getDb } from "../../platform/db/client";
import { sessionD1, sessionDb } from "../../platform/db/sessions";
import { ConflictError, InvalidCursorError, NotFoundError } from "../../platform/errors";
import type { AppEnv } from "../../platform/http/app-env";
import { principalOf } from "../../platform/http/principal";
import { newId } from "../../platform/ids";
import type { createProduct, getProduct, searchProducts } from "./products.routes";
import { toProductResponse } from "./products.schemas";

export const handleSearchProducts: RouteHandler<typeof searchProducts, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const plan = planProductSearch({ ...query, limit: query.limit ?? SEARCH_PAGE_SIZE.default });
  if (plan.kind === "invalid-cursor") throw new InvalidCursorError(plan.refusal);
  if (plan.kind === "empty") return c.json({ items: [], nextCursor: null }, 200);
  const { sql, params } = buildProductSearch(plan);
  const { results } = await sessionD1(c)
    .prepare(sql)
    .bind(...params)
    .all<ProductSearchRow>();
  const page = toSearchPage(results, plan);
  return c.json({ items: page.rows.map(toProductResponse), nextCursor: page.nextCursor }, 200);
};

export const handleGetProduct: RouteHandler<typeof getProduct, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const row = await sessionDb(c).select().from(products).where(eq(products.id, id)).get();
  if (!row) throw new NotFoundError("product", id);
  return c.json(toProductResponse(row), 200);
};

export const handleCreateProduct: RouteHandler<typeof createProduct, AppEnv> = async (c) => {
  const { price, ...body } = c.req.valid("json");
  const merchantId = principalOf(c).userId;
  const now = Date.now();
  // The unique (merchant, sku) index decides duplicates, so two concurrent creates cannot both win.
  const [row] = await getDb(c.env.DB)
    .insert(products)
    .values({ ...body, id: newId("prd", now), merchantId, priceMinor: price, createdAt: now, updatedAt: now })
    .onConflictDoNothing({ target: [products.merchantId, products.sku] })
    .returning();
  if (!row) {
    throw new ConflictError(`You already have a product with SKU '${body.sku}'.`, "duplicate-sku", {
      sku: body.sku,
    });
  }
  c.header("Location", `/v1/products/${row.id}`);
  return c.json(toProductResponse(row), 201);
};
