/**
 * The one line of a bench quote, priced as POST /v1/quotes would price one unit at 10.00 with no
 * discount or tax: the checkout bench seeds it into D1, bench:d1 writes orders from it.
 */
export const benchQuoteLine = (productId: string, title: string) => ({
  productId,
  title,
  category: "home",
  quantity: 1,
  unitPrice: 1000,
  lineSubtotal: 1000,
  discount: 0,
  tax: 0,
  total: 1000,
});
