import { sha256Hex } from "../../platform/encoding/sha256";
import type { QueuedClientEvent } from "./client-event";

/**
 * A buyer reports what they did in the shop (viewed a product, added it to the cart, searched, started a
 * checkout), and each such fact counts once per shopper, type, subject (the product, or the search text)
 * and UTC day, whatever ids the client sent and however often it sends them: the id is derived from those
 * four, so the consumer's id dedup drops every repeat. A shopper can therefore move a product's daily
 * figures by at most one per kind, which is what "how many shoppers viewed it" means, and no script can
 * inflate them. (Merchants and admins keep their own ids: they report for many shoppers at once.)
 */
export async function oncePerShopperDay(
  userId: string,
  events: readonly QueuedClientEvent[],
): Promise<QueuedClientEvent[]> {
  const seen = new Set<string>();
  const kept: QueuedClientEvent[] = [];
  for (const event of events) {
    const subject = event.productId ?? `q:${(event.query ?? "").toLowerCase()}`;
    const key = [userId, event.type, subject, event.occurredAt.slice(0, 10)].join("\n");
    const id = `shp_${(await sha256Hex(key)).slice(0, 40)}`;
    if (seen.has(id)) continue;
    seen.add(id);
    kept.push({ ...event, id });
  }
  return kept;
}
