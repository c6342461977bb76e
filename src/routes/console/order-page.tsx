import { and, asc, eq } from "drizzle-orm";
import { formatMoney } from "../../consumers/email/templates/order";
import {
  type OrderStepView,
  orderSaga,
  type SagaInspection,
} from "../../durable-objects/checkout/order-saga-client";
import { isStuck } from "../../durable-objects/checkout/resume-stuck-orders";
import { COMPENSATION_OF, type Compensation, isCompensable, REFUND_STEPS } from "../../flows/checkout";
import type { OrderRow } from "../../flows/checkout/order-view";
import { orders } from "../../flows/checkout/schema";
import type { Db } from "../../platform/db/client";
import { outbox } from "../../platform/events/schema";
import { sandboxLedger } from "../../providers/payments/sandbox-shards";
import type { SandboxLedger } from "../../providers/payments/sandbox-store";
import { Badge, IdLink, Scroll, took, When } from "./display";

/** The facts shown per order; a saga publishes about a dozen, a refunded order with retries a few more. */
const MAX_FACTS = 200;

/** A saga's wake-up this late (past a deadline or a retry time) means its alarm was lost. */
const OVERDUE_GRACE_MS = 5_000;

/** A step run as the timeline shows it: from the saga, or from the order row when the saga cannot say. */
type TimelineStep = OrderStepView & { stalledAt?: number | null };

interface Fact {
  id: string;
  type: string;
  correlationId: string;
  createdAt: number;
  publishedAt: number | null;
}

export interface OrderPageData {
  row: OrderRow;
  /** The stuck-order test (`isStuck`), as the list and the cron apply it. */
  stuck: boolean;
  facts: Fact[];
  /** Null when the saga never started, or could not be asked (`sagaError`). */
  saga: SagaInspection | null;
  sagaError: string | null;
  provider: string;
  /** The sandbox provider's records of the order; null for another provider or when it could not be asked. */
  ledger: SandboxLedger | null;
  ledgerError: string | null;
  now: number;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Everything the order page shows: the row, whether it is stuck, and its facts (one D1 round trip), the
 * saga's own account (its Durable Object) and the payment provider's records (the sandbox shard that
 * holds the order). The saga and the provider are asked only about an order that exists, and when
 * either fails the page still shows the rest.
 */
export async function loadOrderPage(
  db: Db,
  env: Env,
  orderId: string,
  now: number,
): Promise<OrderPageData | null> {
  const [rows, stuck, facts] = await db.batch([
    db.select().from(orders).where(eq(orders.id, orderId)).limit(1),
    db
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.id, orderId), isStuck(env, now)))
      .limit(1),
    db
      .select({
        id: outbox.id,
        type: outbox.type,
        correlationId: outbox.correlationId,
        createdAt: outbox.createdAt,
        publishedAt: outbox.publishedAt,
      })
      .from(outbox)
      .where(eq(outbox.subject, orderId))
      .orderBy(asc(outbox.createdAt), asc(outbox.id))
      .limit(MAX_FACTS),
  ]);
  const row = rows[0];
  if (!row) return null;
  const provider = env.PAYMENTS_PROVIDER || "sandbox";
  const [saga, ledger] = await Promise.allSettled([
    orderSaga(env, orderId).inspect(),
    provider === "sandbox" ? sandboxLedger(env.PAYMENT_SANDBOX, {}, orderId) : Promise.resolve(null),
  ]);
  return {
    row,
    stuck: stuck.length > 0,
    facts,
    saga: saga.status === "fulfilled" ? saga.value : null,
    sagaError: saga.status === "rejected" ? errorText(saga.reason) : null,
    provider,
    ledger: ledger.status === "fulfilled" ? ledger.value : null,
    ledgerError: ledger.status === "rejected" ? errorText(ledger.reason) : null,
    now,
  };
}

/** The steps the row holds (`orders.steps`, written by the saga with each transition). */
const rowSteps = (row: OrderRow): TimelineStep[] =>
  Array.isArray(row.steps) ? (row.steps as TimelineStep[]) : [];

/**
 * A step's part in the undo story: a compensation names what it undoes; a step that can be undone says
 * whether it was (each run of its undo, with its status), will be (on the stack) or would be.
 */
function compensationNote(step: TimelineStep, steps: TimelineStep[], stack: Compensation[]): string {
  const undone = Object.entries(COMPENSATION_OF).find(([, undo]) => undo === step.name)?.[0];
  if (undone) return `undoes ${undone}`;
  if ((REFUND_STEPS as readonly string[]).includes(step.name)) return "refund";
  if (!isCompensable(step.name)) return "";
  const undo = COMPENSATION_OF[step.name];
  const runs = steps.filter((s) => s.name === undo && s.startedAt >= step.startedAt);
  if (runs.length > 0) return `undone by ${undo} (${runs.map((r) => r.status).join(", ")})`;
  if (stack.some((c) => c.compensates === step.name)) return `${undo} on the stack`;
  return step.status === "succeeded" ? `${undo} if cancelled` : "nothing to undo";
}

const Timeline = ({ steps, stack, now }: { steps: TimelineStep[]; stack: Compensation[]; now: number }) => (
  <Scroll label="Saga steps">
    <table>
      <caption>Saga steps, in the order they started</caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Ended</th>
          <th scope="col" class="num">
            Took
          </th>
          <th scope="col" class="num">
            Attempts
          </th>
          <th scope="col">Compensation</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={`${s.name}-${s.startedAt}`}>
            <th scope="row" class="nowrap">
              {s.name}
            </th>
            <td>
              <Badge status={s.status} />
              {s.stalledAt ? (
                <>
                  {" "}
                  <Badge status="stuck">stalled</Badge>
                </>
              ) : null}
            </td>
            <td>
              <When ms={s.startedAt} />
            </td>
            <td>
              <When ms={s.finishedAt} />
            </td>
            <td class="num">{took((s.finishedAt ?? now) - s.startedAt)}</td>
            <td class="num">{s.attempts}</td>
            <td>{compensationNote(s, steps, stack)}</td>
            <td class="breakable">{s.detail ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </Scroll>
);

/** What the saga is doing now, and whether it looks stuck by its own deadlines. */
const SagaNow = ({ data }: { data: OrderPageData }) => {
  const { saga, now } = data;
  if (data.sagaError)
    return (
      <p class="notice">
        The saga could not be asked ({data.sagaError}); the steps below are the order row's copy.
      </p>
    );
  if (!saga)
    return (
      <p class="notice">
        The saga has not started: its <code>order.placed</code> has not reached the order-saga consumer yet.
        The stuck-order cron starts it once the order has waited <code>ORDER_STUCK_SECONDS</code>.
      </p>
    );
  const overdue = saga.nextWakeAt !== null && saga.nextWakeAt < now - OVERDUE_GRACE_MS;
  const p = saga.pending;
  return (
    <ul>
      {p ? (
        <li>
          Waiting for <strong>{p.step}</strong> attempt {p.attempt} (key <code>{p.idempotencyKey}</code>):{" "}
          {p.retryAt !== null ? (
            <>
              retry due <When ms={p.retryAt} />
            </>
          ) : (
            <>
              deadline <When ms={p.deadline} />
            </>
          )}
          {overdue && saga.nextWakeAt !== null ? (
            <>
              {" "}
              <Badge status="stuck">{`overdue by ${took(now - saga.nextWakeAt)}`}</Badge>
            </>
          ) : null}
        </li>
      ) : (
        <li>{saga.terminal ? "Finished: nothing more happens on its own." : "Waiting for nothing."}</li>
      )}
      {saga.payment === "capture-failed" && (
        <li>
          <Badge status="failed">capture failed</Badge> The payment could not be captured: an operator must
          act.
        </li>
      )}
      {saga.d1Behind && (
        <li>The saga holds a state that D1 does not hold yet; its alarm retries the write.</li>
      )}
    </ul>
  );
};

const Compensations = ({ list }: { list: Compensation[] }) =>
  list.length === 0 ? null : (
    <>
      <h3>Undos still to run</h3>
      <ol>
        {list.map((c) => (
          <li key={`${c.step}-${c.recordedAt}`}>
            <strong>{c.step}</strong> undoes {c.compensates}, recorded <When ms={c.recordedAt} />
            {c.outcomeKnown ? "" : " (blind: the step may not have happened)"}
          </li>
        ))}
      </ol>
    </>
  );

const Facts = ({ facts }: { facts: Fact[] }) =>
  facts.length === 0 ? (
    <p>No facts in the outbox (none recorded yet, or pruned after they settled).</p>
  ) : (
    <Scroll label="Facts">
      <table>
        <caption>Facts the order published, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Recorded</th>
            <th scope="col">Type</th>
            <th scope="col">Event</th>
            <th scope="col">Published</th>
            <th scope="col">Trace</th>
          </tr>
        </thead>
        <tbody>
          {facts.map((f) => (
            <tr key={f.id}>
              <td>
                <When ms={f.createdAt} />
              </td>
              <th scope="row">{f.type}</th>
              <td>
                <IdLink base="/console/events" id={f.id} />
              </td>
              <td>
                {f.publishedAt === null ? (
                  <Badge status="pending">in the outbox</Badge>
                ) : (
                  <When ms={f.publishedAt} />
                )}
              </td>
              <td>
                <IdLink base="/console/traces" id={f.correlationId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );

const Payment = ({ data }: { data: OrderPageData }) => {
  const { saga, ledger, row } = data;
  const money = (minor: number, currency: string) => formatMoney(minor, currency);
  return (
    <>
      <dl>
        <dt>As the saga knows it</dt>
        <dd>
          {saga ? (
            <>
              <Badge status={saga.payment} /> authorization <code>{saga.authorizationId ?? "—"}</code>,
              capture <code>{saga.captureId ?? "—"}</code>, refund <code>{saga.refundId ?? "—"}</code>
            </>
          ) : (
            "unknown (no saga)"
          )}
        </dd>
        <dt>Provider</dt>
        <dd>
          <code>{data.provider}</code> with <code>{row.paymentMethod}</code>
        </dd>
      </dl>
      {data.ledgerError && <p class="notice">The payment sandbox could not be asked ({data.ledgerError}).</p>}
      {data.provider !== "sandbox" && <p class="muted">The provider's own dashboard holds its records.</p>}
      {ledger && (
        <Scroll label="Payment records">
          <table>
            <caption>The payment sandbox's records of this order</caption>
            <thead>
              <tr>
                <th scope="col">Record</th>
                <th scope="col">Id</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Amount
                </th>
              </tr>
            </thead>
            <tbody>
              {ledger.authorizations.map((a) => (
                <tr key={a.id}>
                  <th scope="row">authorization</th>
                  <td>
                    <code>{a.id}</code>
                  </td>
                  <td>{a.status}</td>
                  <td class="num">{money(a.amount, a.currency)}</td>
                </tr>
              ))}
              {ledger.captures.map((c) => (
                <tr key={c.id}>
                  <th scope="row">capture</th>
                  <td>
                    <code>{c.id}</code>
                  </td>
                  <td>captured</td>
                  <td class="num">{money(c.amount, c.currency)}</td>
                </tr>
              ))}
              {ledger.refunds.map((r) => (
                <tr key={r.id}>
                  <th scope="row">refund</th>
                  <td>
                    <code>{r.id}</code>
                  </td>
                  <td>refunded</td>
                  <td class="num">{money(r.amount, r.currency)}</td>
                </tr>
              ))}
              {ledger.authorizations.length + ledger.captures.length + ledger.refunds.length === 0 && (
                <tr>
                  <td colspan={4}>None: nothing was authorized for this order.</td>
                </tr>
              )}
            </tbody>
          </table>
        </Scroll>
      )}
    </>
  );
};

const itemCount = (row: OrderRow) => {
  const n = row.lines.reduce((sum, l) => sum + l.quantity, 0);
  return n === 1 ? "1 item" : `${n} items`;
};

/** The order page's content: summary, what the saga is doing, its step timeline, its facts, its payment. */
export const OrderPage = ({ data }: { data: OrderPageData }) => {
  const { row, saga } = data;
  const traces = [...new Set(data.facts.map((f) => f.correlationId))];
  const steps: TimelineStep[] = saga ? saga.steps : rowSteps(row);
  return (
    <>
      <h1>
        Order <code>{row.id}</code>
      </h1>
      <dl>
        <dt>Status</dt>
        <dd>
          <Badge status={row.status} /> {row.statusMessage}
          {data.stuck && (
            <>
              {" "}
              <Badge status="stuck">{`stuck for ${took(data.now - row.updatedAt)}`}</Badge>
            </>
          )}
        </dd>
        <dt>Buyer</dt>
        <dd>
          <a href={`/console/orders?buyer=${encodeURIComponent(row.buyerId)}`}>
            <code>{row.buyerId}</code>
          </a>
        </dd>
        <dt>Merchants</dt>
        <dd>
          {row.merchantIds.map((m, i) => (
            <span key={m}>
              {i > 0 ? ", " : ""}
              <a href={`/console/orders?merchant=${encodeURIComponent(m)}`}>
                <code>{m}</code>
              </a>
            </span>
          ))}
        </dd>
        <dt>Total</dt>
        <dd>{`${formatMoney(row.totalMinor, row.currency)} for ${itemCount(row)}`}</dd>
        <dt>Placed, last changed</dt>
        <dd>
          <When ms={row.createdAt} />, <When ms={row.updatedAt} /> (version {row.version})
        </dd>
        <dt>Trace</dt>
        <dd>
          {traces.length === 0
            ? "none recorded"
            : traces.map((t, i) => (
                <span key={t}>
                  {i > 0 ? ", " : ""}
                  <a href={`/console/traces/${encodeURIComponent(t)}`}>
                    Follow trace <code>{t}</code>
                  </a>
                </span>
              ))}
        </dd>
      </dl>
      <h2>Saga</h2>
      <SagaNow data={data} />
      {steps.length === 0 ? (
        <p>No step has started yet.</p>
      ) : (
        <Timeline steps={steps} stack={saga?.compensations ?? []} now={data.now} />
      )}
      {saga && <Compensations list={saga.compensations} />}
      <h2>Facts</h2>
      <Facts facts={data.facts} />
      <h2>Payment</h2>
      <Payment data={data} />
    </>
  );
};
