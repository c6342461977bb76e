import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { CATEGORIES } from "../../../flows/catalog/categories";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type {
  CreateProductBodySchema,
  ProductPageSchema,
  ProductResponse,
} from "../../catalog/products.schemas";
import { orThrow, problemText } from "../errors";
import { apiFor, signedIn } from "../session";
import { DoneNotice, FormError, field, MERCHANT_CSS, money, noticeUrl, Pager, Table, utc } from "./parts";

const HREF = "/merchant/products";
type ProductPage = z.infer<typeof ProductPageSchema>;
type NewProduct = z.infer<typeof CreateProductBodySchema>;

/**
 * The signed-in merchant's own products, newest first: the catalog search filtered to them
 * (GET /v1/products?merchantId=…), so paging and cursors are the API's.
 */
export async function myProducts(c: Context<AppEnv>, cursor: string | undefined, limit = 20) {
  const merchantId = c.get("principal")?.userId;
  return orThrow(
    await apiFor(c)<ProductPage>("/v1/products", { query: { merchantId, sort: "newest", limit, cursor } }),
  );
}

// A price typed as dollars and cents becomes minor units; anything else goes to the API as typed, so
// the refusal is the API's own words about the field.
function priceOf(text: string): number | string {
  const m = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0")) : text;
}
const wholeOr = (text: string): number | string => (/^\s*\d{1,9}\s*$/.test(text) ? Number(text) : text);

type FormValues = Record<"sku" | "title" | "description" | "category" | "price" | "stock", string>;

const AddProductForm = ({ values, error }: { values?: FormValues; error?: string }) => (
  <section class="panel" aria-labelledby="add-product">
    <h2 id="add-product">Add a product</h2>
    <FormError error={error} />
    <form method="post" action={HREF} class="stack">
      {/* One key per form shown: a second click replays the first answer instead of adding twice. */}
      <input type="hidden" name="idempotencyKey" value={crypto.randomUUID()} />
      <label for="title">Title</label>
      <input id="title" name="title" required maxlength={200} value={values?.title} />
      <label for="sku">SKU</label>
      <input id="sku" name="sku" required maxlength={64} value={values?.sku} aria-describedby="sku-hint" />
      <p id="sku-hint" class="muted hint">
        Your own code for it: letters, digits, '.', '_' or '-', unique among your products.
      </p>
      <label for="description">Description</label>
      <textarea id="description" name="description" required rows={3} maxlength={5000}>
        {values?.description}
      </textarea>
      <label for="category">Category</label>
      <select id="category" name="category">
        {CATEGORIES.map((cat) => (
          <option value={cat} selected={values?.category === cat}>
            {cat}
          </option>
        ))}
      </select>
      <label for="price">Price (USD)</label>
      <input id="price" name="price" inputmode="decimal" required placeholder="12.50" value={values?.price} />
      <label for="stock">Stock</label>
      <input id="stock" name="stock" type="number" min={0} required value={values?.stock ?? "0"} />
      <button type="submit" class="button primary">
        Add the product
      </button>
    </form>
  </section>
);

const ProductsTable = ({ items }: { items: ProductResponse[] }) => (
  <Table caption="Your products, newest first">
    <thead>
      <tr>
        <th scope="col">Title</th>
        <th scope="col">SKU</th>
        <th scope="col">Category</th>
        <th scope="col" class="num">
          Price
        </th>
        <th scope="col" class="num">
          Stock
        </th>
        <th scope="col">Added</th>
        <th scope="col">Analytics</th>
      </tr>
    </thead>
    <tbody>
      {items.map((p) => (
        <tr>
          <td>
            <a href={`/shop/products/${p.id}`}>{p.title}</a>
          </td>
          <td>
            <code>{p.sku}</code>
          </td>
          <td>{p.category}</td>
          <td class="num">{money(p.price.amount, p.price.currency)}</td>
          <td class="num">{p.stock}</td>
          <td>{utc(p.createdAt)}</td>
          <td>
            <a href={`/merchant/analytics/${p.id}`}>
              Figures<span class="visually-hidden"> for {p.title}</span>
            </a>
          </td>
        </tr>
      ))}
    </tbody>
  </Table>
);

async function productsPage(c: Context<AppEnv>, form?: { values: FormValues; error: string }) {
  const cursor = c.req.query("cursor");
  const page = await myProducts(c, cursor);
  return c.render(
    <>
      <h1>Products</h1>
      <DoneNotice c={c} />
      {page.items.length === 0 && !cursor ? (
        <p class="empty">
          No products yet. Add your first one below, or <a href="/merchant/imports">import a file</a>.
        </p>
      ) : (
        <>
          <ProductsTable items={page.items} />
          <Pager path={HREF} cursor={cursor} nextCursor={page.nextCursor} />
        </>
      )}
      <AddProductForm values={form?.values} error={form?.error} />
    </>,
    { title: "Products", section: HREF, head: MERCHANT_CSS },
  );
}

/** The merchant's products with cursor paging, and a form that lists a new one (POST /v1/products). */
export const merchantProductsSection = pageSection("Products", HREF, (r) =>
  r
    .get(HREF, signedIn("merchant"), (c) => productsPage(c))
    .post(HREF, signedIn("merchant"), async (c) => {
      const form = await c.req.parseBody();
      const values: FormValues = {
        sku: field(form, "sku").trim(),
        title: field(form, "title"),
        description: field(form, "description"),
        category: field(form, "category"),
        price: field(form, "price"),
        stock: field(form, "stock"),
      };
      const key = field(form, "idempotencyKey");
      const answer = await apiFor(c)("/v1/products", {
        // Typed loosely on purpose: a price or stock that is not a number goes as typed for the API to refuse.
        json: {
          ...values,
          price: priceOf(values.price),
          stock: wholeOr(values.stock),
        } as unknown as NewProduct,
        headers: key ? { "idempotency-key": key } : {},
      });
      if (!answer.ok) {
        c.status(answer.status as 400);
        return productsPage(c, { values, error: problemText(answer.problem) });
      }
      return c.redirect(noticeUrl(HREF, "product-added"), 303);
    }),
);
