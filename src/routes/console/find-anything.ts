import { eq } from "drizzle-orm";
import { users } from "../../flows/accounts/schema";
import { orders } from "../../flows/checkout/schema";
import type { Db } from "../../platform/db/client";
import { consumerAttempts, outbox, requestRecords } from "../../platform/events/schema";
import { jobs } from "../../platform/jobs/schema";

/** The longest query the find box takes: an email may be 254 characters, an id of ours far fewer. */
export const MAX_QUERY = 320;

export type FoundKind = "order" | "job" | "event" | "trace" | "buyer" | "merchant";

/** One thing a query names, and the console page that shows it. */
export interface Found {
  kind: FoundKind;
  id: string;
  href: string;
  /** What it is, in a few words (an order's status, an event's type, a request's method and path). */
  detail: string;
}

const page = (base: string, id: string) => `${base}/${encodeURIComponent(id)}`;

/** A user's orders in the console: what they bought, or for a merchant what they sell. */
function userFound(user: { id: string; email: string; role: string }): Found {
  const merchant = user.role === "merchant";
  return {
    kind: merchant ? "merchant" : "buyer",
    id: user.id,
    href: `/console/orders?${merchant ? "merchant" : "buyer"}=${encodeURIComponent(user.id)}`,
    detail: `${user.role} ${user.email}`,
  };
}

/**
 * Everything an id or email names: an order, a job, an event, a trace (a request id, or any correlation
 * id such as an alert's), a user (by id or email). Ids carry a kind prefix but a client's request id can be
 * any text, so every table is asked, each by its primary key or an index, in one D1 round trip.
 *
 * @example
 * const found = await findAnything(db, "ord_01jxyz…"); // [{ kind: "order", href: "/console/orders/ord_01jxyz…", … }]
 */
export async function findAnything(db: Db, query: string): Promise<Found[]> {
  if (query.includes("@")) {
    const user = await db
      .select({ id: users.id, email: users.email, role: users.role })
      .from(users)
      .where(eq(users.email, query.toLowerCase()))
      .get();
    return user ? [userFound(user)] : [];
  }
  const [order, job, event, request, chain, attempt, user] = await db.batch([
    db.select({ status: orders.status }).from(orders).where(eq(orders.id, query)).limit(1),
    db.select({ type: jobs.type, status: jobs.status }).from(jobs).where(eq(jobs.id, query)).limit(1),
    db
      .select({ type: outbox.type, subject: outbox.subject })
      .from(outbox)
      .where(eq(outbox.id, query))
      .limit(1),
    db
      .select({ method: requestRecords.method, path: requestRecords.path })
      .from(requestRecords)
      .where(eq(requestRecords.requestId, query))
      .limit(1),
    db.select({ type: outbox.type }).from(outbox).where(eq(outbox.correlationId, query)).limit(1),
    db
      .select({ consumer: consumerAttempts.consumer })
      .from(consumerAttempts)
      .where(eq(consumerAttempts.correlationId, query))
      .limit(1),
    db
      .select({ id: users.id, email: users.email, role: users.role })
      .from(users)
      .where(eq(users.id, query))
      .limit(1),
  ]);
  const at = (kind: FoundKind, base: string, detail: string): Found => ({
    kind,
    id: query,
    href: page(base, query),
    detail,
  });
  const found: Found[] = [];
  const [o, j, e, r] = [order[0], job[0], event[0], request[0]];
  if (o) found.push(at("order", "/console/orders", o.status));
  if (j) found.push(at("job", "/console/jobs", `${j.type}, ${j.status}`));
  if (e) found.push(at("event", "/console/events", `${e.type} of ${e.subject}`));
  if (r || chain[0] || attempt[0])
    found.push(
      at("trace", "/console/traces", r ? `${r.method} ${r.path}` : "a chain of events no request started"),
    );
  const u = user[0];
  if (u) found.push(userFound(u));
  return found;
}
