/**
 * The checker: holds the history against the final state, flow by flow. Each invariant is checked per
 * subject (an order, a sign-up, an event id, a job, a product); a violation is a Finding of one kind:
 * `lost` (acknowledged, or taken, and then not done), `duplicated` (done more than once) or
 * `unexpected` (done although nobody asked). Pure: the same history and state give the same verdict.
 */

import type { FinalState } from "./final-state";
import { FLOWS, type Flow, type History, type OpRecord } from "./history";
import { TERMINAL } from "./quiescence";

export type FindingKind = "lost" | "duplicated" | "unexpected";

export interface Finding {
  flow: Flow;
  invariant: string;
  kind: FindingKind;
  subject: string;
  detail: string;
}

export interface FlowSummary {
  flow: Flow;
  acked: number;
  rejected: number;
  indeterminate: number;
  /** Acknowledged operations whose work was under way when the runtime was killed. */
  inFlightAtKill: number;
  /** Of those, the ones every invariant holds for. */
  recovered: number;
  /** Per kind of finding, how many subjects (orders, accounts, event ids, jobs, products) have one. */
  lost: number;
  duplicated: number;
  unexpected: number;
}

export interface InvariantSummary {
  flow: Flow;
  invariant: string;
  checked: number;
  violations: number;
}

export interface CheckResult {
  flows: FlowSummary[];
  invariants: InvariantSummary[];
  findings: Finding[];
}

export interface CheckContext {
  /** Stock of each ordered product before the load. */
  initialStock: Record<string, number>;
  /** Views counted per product before the load (none on a fresh state directory). */
  initialViews?: Record<string, number>;
}

const countBy = <T>(items: readonly T[], key: (t: T) => string) => {
  const out = new Map<string, number>();
  for (const item of items) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
  return out;
};

/** Records each check, so the report can say how many subjects an invariant covered. */
class Verdicts {
  readonly findings: Finding[] = [];
  readonly invariants = new Map<string, InvariantSummary>();
  /** Op ids with at least one finding. */
  readonly failedOps = new Set<number>();

  check(
    flow: Flow,
    invariant: string,
    subject: string,
    failure: [FindingKind, string] | null,
    opId?: number,
  ): void {
    const key = `${flow}/${invariant}`;
    const summary = this.invariants.get(key) ?? { flow, invariant, checked: 0, violations: 0 };
    this.invariants.set(key, summary);
    summary.checked++;
    if (!failure) return;
    summary.violations++;
    this.findings.push({ flow, invariant, kind: failure[0], subject, detail: failure[1] });
    if (opId !== undefined) this.failedOps.add(opId);
  }
}

/** Exactly one of something: none is lost, more is duplicated. */
const exactlyOne = (n: number, what: string): [FindingKind, string] | null =>
  n === 1 ? null : n === 0 ? ["lost", `no ${what}`] : ["duplicated", `${n} × ${what}`];

function checkOrders(history: History, s: FinalState, ctx: CheckContext, v: Verdicts): Map<number, number> {
  const ops = history.of("order").filter((op) => op.quoteId !== null);
  const opByQuote = new Map(ops.map((op) => [op.quoteId!, op]));
  const orderByQuote = new Map(s.orders.map((o) => [o.quote_id, o]));
  const views = new Map(s.orderViews.map((o) => [o.id, o.status]));
  const facts = new Map(s.emailFacts.map((f) => [f.id, f]));
  const emails = countBy(
    s.mailbox.filter((m) => facts.has(m.event_id)),
    (m) => `${facts.get(m.event_id)!.type}:${facts.get(m.event_id)!.subject}`,
  );
  const entries = new Map(s.settlementEntries.map((e) => [`${e.order_id}:${e.kind}`, e.n]));
  const captures = new Map<string, number>();
  const openHolds = new Set<string>();
  for (const p of s.payments) {
    captures.set(p.order_id, (captures.get(p.order_id) ?? 0) + p.captures);
    if (p.status === "authorized" || p.status === "pending") openHolds.add(p.order_id);
  }
  const terminal = new Set<string>(TERMINAL);
  const completion = new Map<number, number>();
  const sold = new Map<string, number>();

  for (const op of ops) {
    const order = orderByQuote.get(op.quoteId!);
    const acked = op.outcome === "acked";
    if (!order) {
      // Only an acknowledged order must exist; an indeterminate or refused one may never have happened.
      if (acked)
        v.check(
          "order",
          "acknowledged order exists",
          op.quoteId!,
          ["lost", `answered ${op.status}, no order row`],
          op.id,
        );
      continue;
    }
    const who = `${order.id} (${op.card}${acked ? "" : `, ${op.outcome}`})`;
    if (terminal.has(order.status)) completion.set(op.id, order.updated_at);
    v.check(
      "order",
      "reaches a terminal status",
      who,
      terminal.has(order.status) ? null : ["lost", `stuck in ${order.status}`],
      op.id,
    );
    const view = views.get(order.id);
    v.check(
      "order",
      "order view equals the order",
      who,
      view === order.status
        ? null
        : ["lost", view ? `view says ${view}, order ${order.status}` : "no view row"],
      op.id,
    );
    const mailed = (type: string) => emails.get(`${type}:${order.id}`) ?? 0;
    const charged = captures.get(order.id) ?? 0;
    if (order.status === "confirmed") {
      sold.set(op.productId, (sold.get(op.productId) ?? 0) + op.quantity);
      v.check(
        "order",
        "one email per order fact",
        who,
        exactlyOne(mailed("order.confirmed"), "order-confirmed email"),
        op.id,
      );
      v.check(
        "order",
        "one settlement entry per confirmed order",
        who,
        exactlyOne(entries.get(`${order.id}:sale`) ?? 0, "sale entry"),
        op.id,
      );
      v.check("order", "one charge per confirmed order", who, exactlyOne(charged, "capture"), op.id);
    } else if (order.status === "cancelled") {
      v.check(
        "order",
        "one email per order fact",
        who,
        exactlyOne(mailed("order.cancelled"), "order-cancelled email"),
        op.id,
      );
      const entry = entries.get(`${order.id}:sale`) ?? 0;
      v.check(
        "order",
        "one settlement entry per confirmed order",
        who,
        entry === 0 ? null : ["unexpected", `${entry} sale entries on a cancelled order`],
        op.id,
      );
    }
    if (order.status !== "confirmed")
      v.check(
        "order",
        "no charge without a confirmed order",
        who,
        charged === 0 ? null : ["unexpected", `${charged} captures, order ${order.status}`],
        op.id,
      );
    if (terminal.has(order.status))
      v.check(
        "order",
        "no payment hold left on a finished order",
        who,
        openHolds.has(order.id) ? ["lost", `authorization still open, order ${order.status}`] : null,
        op.id,
      );
  }
  for (const order of s.orders)
    if (!opByQuote.has(order.quote_id))
      v.check("order", "every order was asked for", order.id, [
        "unexpected",
        `quote ${order.quote_id} not in the history`,
      ]);

  const stock = new Map(s.stock.map((p) => [p.id, p.stock]));
  const held = new Map(s.reserved.map((r) => [r.product_id, r.quantity]));
  for (const [productId, initial] of Object.entries(ctx.initialStock)) {
    const expected = initial - (sold.get(productId) ?? 0);
    const actual = stock.get(productId);
    const failure: [FindingKind, string] | null =
      actual === expected
        ? null
        : [
            actual !== undefined && actual < expected ? "lost" : "unexpected",
            `stock ${actual}, expected ${initial} − ${sold.get(productId) ?? 0} sold = ${expected} (${held.get(productId) ?? 0} held by open reservations)`,
          ];
    v.check("order", "stock = initial − confirmed", productId, failure);
  }
  return completion;
}

function checkSignups(history: History, s: FinalState, v: Verdicts): Map<number, number> {
  const users = new Set(s.users.map((u) => u.email));
  const welcome = s.mailbox.filter((m) => m.template === "welcome");
  const welcomes = countBy(welcome, (m) => m.to);
  const sentAt = new Map(welcome.map((m) => [m.to, m.sent_at]));
  const completion = new Map<number, number>();
  const asked = new Set<string>();
  for (const op of history.of("signup")) {
    asked.add(op.email);
    if (op.outcome !== "acked" && !users.has(op.email)) continue;
    const who = `${op.email}${op.outcome === "acked" ? "" : ` (${op.outcome})`}`;
    v.check(
      "signup",
      "acknowledged sign-up has an account",
      who,
      users.has(op.email) ? null : ["lost", "no user row"],
      op.id,
    );
    v.check(
      "signup",
      "one welcome email per sign-up",
      who,
      exactlyOne(welcomes.get(op.email) ?? 0, "welcome email"),
      op.id,
    );
    const at = sentAt.get(op.email);
    if (at !== undefined) completion.set(op.id, at);
  }
  for (const email of users)
    if (!asked.has(email))
      v.check("signup", "every account was asked for", email, ["unexpected", "not in the history"]);
  return completion;
}

function checkEvents(history: History, s: FinalState, ctx: CheckContext, v: Verdicts): Map<number, number> {
  const counted = new Set(s.analyticsIds.map((a) => a.event_id));
  const sent = new Set<string>();
  // When a batch was counted is not recorded; its answer is the earliest it can have been.
  const completion = new Map<number, number>();
  for (const op of history.of("events")) {
    for (const id of op.ids) sent.add(id);
    if (op.acceptedIds.every((id) => counted.has(id))) completion.set(op.id, op.endedAt);
    for (const id of op.acceptedIds)
      v.check(
        "events",
        "accepted event is counted",
        id,
        counted.has(id) ? null : ["lost", "not in analytics_event_ids"],
        op.id,
      );
  }
  for (const id of counted)
    if (!sent.has(id)) v.check("events", "every counted event was sent", id, ["unexpected", "never sent"]);
  // Counted once: each product's view counter equals the distinct ids counted for it.
  const idsPerProduct = countBy(
    s.analyticsIds.filter((a) => a.product_id !== null),
    (a) => a.product_id!,
  );
  const views = new Map(s.productViews.map((p) => [p.product_id, p.views]));
  for (const [productId, ids] of idsPerProduct) {
    const n = (views.get(productId) ?? 0) - (ctx.initialViews?.[productId] ?? 0);
    const failure: [FindingKind, string] | null =
      n === ids ? null : [n > ids ? "duplicated" : "lost", `${n} views counted for ${ids} distinct events`];
    v.check("events", "each event counted once", productId, failure);
  }
  return completion;
}

function checkJobs(history: History, s: FinalState, v: Verdicts): Map<number, number> {
  const jobs = new Map(s.jobs.map((j) => [j.id, j]));
  const facts = new Map(
    s.emailFacts.filter((f) => f.type === "report.generated").map((f) => [f.id, f.subject]),
  );
  const reportEmails = countBy(
    s.mailbox.filter((m) => facts.has(m.event_id)),
    (m) => facts.get(m.event_id)!,
  );
  const searchable = new Set(s.searchableSkus);
  const completion = new Map<number, number>();
  for (const op of [...history.of("import"), ...history.of("report")]) {
    if (op.outcome !== "acked" || op.jobId === null) continue;
    const job = jobs.get(op.jobId);
    const failure: [FindingKind, string] | null =
      job?.status === "succeeded" ? null : ["lost", job ? `job ${job.status}` : "no job row"];
    v.check(op.flow, "job reaches succeeded", op.jobId, failure, op.id);
    if (job?.status === "succeeded") completion.set(op.id, job.updated_at);
    if (op.flow === "report")
      v.check(
        "report",
        "one report-ready email",
        op.jobId,
        exactlyOne(reportEmails.get(op.jobId) ?? 0, "report-ready email"),
        op.id,
      );
    else {
      const missing = op.skus.filter((sku) => !searchable.has(sku));
      const failure: [FindingKind, string] | null =
        missing.length === 0
          ? null
          : ["lost", `${missing.length} of ${op.skus.length} rows not searchable, e.g. ${missing[0]}`];
      v.check("import", "imported products are searchable", op.jobId, failure, op.id);
    }
  }
  return completion;
}

/** Whether an op's work was under way at some kill: sent before it, finished (if ever) after it. */
function inFlightAtKill(op: OpRecord, finishedAt: number | undefined, kills: number[]): boolean {
  const end = finishedAt ?? Number.POSITIVE_INFINITY;
  const start = op.flow === "order" && op.orderSentAt !== null ? op.orderSentAt : op.startedAt;
  return kills.some((k) => start < k && k < end);
}

export function checkHistory(history: History, state: FinalState, ctx: CheckContext): CheckResult {
  const v = new Verdicts();
  const completion = new Map<number, number>([
    ...checkOrders(history, state, ctx, v),
    ...checkSignups(history, state, v),
    ...checkJobs(history, state, v),
    ...checkEvents(history, state, ctx, v),
  ]);
  const kills = history.faults.map((f) => f.killedAt);
  const flows = FLOWS.map((flow): FlowSummary => {
    const ops = history.ops.filter((op) => op.flow === flow);
    const acked = ops.filter((op) => op.outcome === "acked");
    // Work with a finding never finished, whenever its last visible step happened.
    const finished = (op: OpRecord) => (v.failedOps.has(op.id) ? undefined : completion.get(op.id));
    const exposed = acked.filter((op) => inFlightAtKill(op, finished(op), kills));
    // Per kind, the distinct subjects (orders, accounts, event ids, jobs, products) with a finding.
    const subjects = new Map<FindingKind, Set<string>>();
    for (const f of v.findings)
      if (f.flow === flow) subjects.set(f.kind, (subjects.get(f.kind) ?? new Set()).add(f.subject));
    return {
      flow,
      acked: acked.length,
      rejected: ops.filter((op) => op.outcome === "rejected").length,
      indeterminate: ops.filter((op) => op.outcome === "indeterminate").length,
      inFlightAtKill: exposed.length,
      recovered: exposed.filter((op) => !v.failedOps.has(op.id)).length,
      lost: subjects.get("lost")?.size ?? 0,
      duplicated: subjects.get("duplicated")?.size ?? 0,
      unexpected: subjects.get("unexpected")?.size ?? 0,
    };
  });
  return { flows, invariants: [...v.invariants.values()], findings: v.findings };
}
