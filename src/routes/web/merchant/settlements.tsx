import type { z } from "@hono/zod-openapi";
import { pageSection } from "../../../platform/http/pages/section";
import type { SettlementListSchema, SettlementSchema } from "../../settlements/settlements.schemas";
import { orThrow } from "../errors";
import { apiFor, signedIn, WEB_COOKIE } from "../session";
import { MERCHANT_CSS, money, Pager, StatusBadge, Table, utc } from "./parts";

const HREF = "/merchant/settlements";
type SettlementList = z.infer<typeof SettlementListSchema>;
type Settlement = z.infer<typeof SettlementSchema>;

const period = (s: { periodStart: string }) => s.periodStart.slice(0, 10);

const STATUS_WORDS: Record<Settlement["status"], string> = {
  pending: "Being worked out: the figures appear once it is settled.",
  settled: "Settled: the payout was sent.",
  failed: "The payout was refused, so nothing was paid. Quote this settlement's day when you contact us.",
};

/**
 * Settlements (GET /v1/settlements), one with its double-entry ledger, and its CSV statement streamed
 * as the API answers it (same content type and Content-Disposition, so the browser saves the file).
 */
export const merchantSettlementsSection = pageSection("Settlements", HREF, (r) =>
  r
    .get(HREF, signedIn("merchant"), async (c) => {
      const cursor = c.req.query("cursor");
      const page = orThrow(
        await apiFor(c)<SettlementList>("/v1/settlements", { query: { limit: 20, cursor } }),
      );
      return c.render(
        <>
          <h1>Settlements</h1>
          <p class="muted">
            Each UTC day's sales are settled the next day: gross sales less fees and refunds is your payout.
          </p>
          {page.items.length === 0 && !cursor ? (
            <p class="empty">
              No settlements yet. The first one appears the day after your first confirmed sale.
            </p>
          ) : (
            <>
              <Table caption="Your settlements, newest day first">
                <thead>
                  <tr>
                    <th scope="col">Day</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">
                      Gross sales
                    </th>
                    <th scope="col" class="num">
                      Fees
                    </th>
                    <th scope="col" class="num">
                      Refunds
                    </th>
                    <th scope="col" class="num">
                      Payout
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((s) => (
                    <tr>
                      <td>
                        <a href={`${HREF}/${s.id}`}>{period(s)}</a>
                      </td>
                      <td>
                        <StatusBadge status={s.status} />
                      </td>
                      <td class="num">{money(s.grossSalesMinor, s.currency)}</td>
                      <td class="num">{money(s.feesMinor, s.currency)}</td>
                      <td class="num">{money(s.refundsMinor, s.currency)}</td>
                      <td class="num">{money(s.payoutMinor, s.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Pager path={HREF} cursor={cursor} nextCursor={page.nextCursor} />
            </>
          )}
        </>,
        { title: "Settlements", section: HREF, head: MERCHANT_CSS },
      );
    })
    .get(`${HREF}/:id`, signedIn("merchant"), async (c) => {
      const s = orThrow(
        await apiFor(c)<Settlement>(`/v1/settlements/${encodeURIComponent(c.req.param("id"))}`),
      );
      return c.render(
        <>
          <p>
            <a href={HREF}>← Settlements</a>
          </p>
          <h1>Settlement for {period(s)}</h1>
          <p role="status" class={`notice ${s.status === "settled" ? "notice-ok" : "notice-warn"}`}>
            {STATUS_WORDS[s.status]}
          </p>
          <dl class="facts">
            <dt>Gross sales</dt>
            <dd>{money(s.grossSalesMinor, s.currency)}</dd>
            <dt>Fees</dt>
            <dd>{money(s.feesMinor, s.currency)}</dd>
            <dt>Refunds</dt>
            <dd>{money(s.refundsMinor, s.currency)}</dd>
            <dt>Payout</dt>
            <dd class="price">{money(s.payoutMinor, s.currency)}</dd>
            <dt>Settled</dt>
            <dd>{s.settledAt ? utc(s.settledAt) : "not yet"}</dd>
            <dt>Payout reference</dt>
            <dd>{s.payoutId ? <code>{s.payoutId}</code> : "none"}</dd>
          </dl>
          {s.statementUrl && (
            <p>
              <a class="button primary" href={`${HREF}/${s.id}/statement`} download>
                Download the statement (CSV)
              </a>
            </p>
          )}
          {s.ledger.length === 0 ? (
            <p class="empty">No ledger entries yet: they are written when the settlement is settled.</p>
          ) : (
            <Table caption="Ledger (double entry: debits equal credits)">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Description</th>
                  <th scope="col" class="num">
                    Debit
                  </th>
                  <th scope="col" class="num">
                    Credit
                  </th>
                </tr>
              </thead>
              <tbody>
                {s.ledger.map((l) => (
                  <tr>
                    <td>
                      <code>{l.account}</code>
                    </td>
                    <td>{l.description}</td>
                    <td class="num">{l.debitMinor ? money(l.debitMinor, s.currency) : ""}</td>
                    <td class="num">{l.creditMinor ? money(l.creditMinor, s.currency) : ""}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </>,
        { title: `Settlement ${period(s)}`, section: HREF, head: MERCHANT_CSS },
      );
    })
    .get(`${HREF}/:id/statement`, signedIn("merchant"), async (c) => {
      // A file, not JSON: the API's answer goes back as is (a problem becomes an error page in webRoutes).
      const url = new URL(`/v1/settlements/${encodeURIComponent(c.req.param("id"))}/statement`, c.req.url);
      const headers = new Headers({
        authorization: `Bearer ${WEB_COOKIE.read(c)}`,
        "x-request-id": c.var.requestId,
      });
      const self = c.get("self");
      if (!self) throw new Error("the page routes must set `self`");
      return self(new Request(url, { headers }));
    }),
);
