/**
 * What an order earns each merchant. A merchant's gross on an order is the sum of their lines'
 * `lineSubtotal − discount`: promotions are funded by the merchant whose lines they reduce (the
 * quote already allocates a cart discount over lines). Tax and shipping are quote-level charges the
 * platform collects and remits or pays for, so they are never a merchant's money. Refunds are whole
 * orders, so a refund takes back exactly the merchant's gross on that order.
 */
export interface AttributableLine {
  merchantId: string;
  lineSubtotal: number;
  discount: number;
}

/**
 * Each merchant's gross on an order, in the order their first line appears.
 *
 * @example
 * merchantAmounts([{ merchantId: "m1", lineSubtotal: 2000, discount: 200 }]); // [{ merchantId: "m1", amountMinor: 1800 }]
 */
export function merchantAmounts(
  lines: readonly AttributableLine[],
): { merchantId: string; amountMinor: number }[] {
  const totals = new Map<string, number>();
  for (const line of lines) {
    totals.set(line.merchantId, (totals.get(line.merchantId) ?? 0) + line.lineSubtotal - line.discount);
  }
  return [...totals].map(([merchantId, amountMinor]) => ({ merchantId, amountMinor }));
}
