import { formatMoney as money } from "../../../flows/pricing/money";
import type { QuoteResponse } from "../../pricing/quotes.schemas";

type Line = Pick<QuoteResponse["lines"][number], "title" | "quantity" | "unitPrice" | "lineSubtotal">;
/** An order carries the same money fields as the quote it was placed from. */
type Amounts = Pick<QuoteResponse, "subtotal" | "discount" | "shipping" | "tax" | "total" | "currency">;

/** A quote's or an order's lines and money, the same on the checkout and the order page. */
export const LinesTable = ({ lines, amounts: a }: { lines: Line[]; amounts: Amounts }) => (
  <>
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">Items in this order</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Price
            </th>
            <th scope="col" class="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr>
              <td>{l.title}</td>
              <td class="num">{l.quantity}</td>
              <td class="num">{money(l.unitPrice, a.currency)}</td>
              <td class="num">{money(l.lineSubtotal, a.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    <dl class="totals">
      <dt>Subtotal</dt>
      <dd>{money(a.subtotal, a.currency)}</dd>
      {a.discount > 0 && (
        <>
          <dt>Discount</dt>
          <dd>−{money(a.discount, a.currency)}</dd>
        </>
      )}
      <dt>Shipping</dt>
      <dd>{money(a.shipping, a.currency)}</dd>
      <dt>Tax</dt>
      <dd>{money(a.tax, a.currency)}</dd>
      <dt class="total">Total</dt>
      <dd class="total">{money(a.total, a.currency)}</dd>
    </dl>
  </>
);
