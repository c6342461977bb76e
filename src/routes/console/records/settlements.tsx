import { z } from "@hono/zod-openapi";
import type { SettlementStatus } from "../../../flows/settlements/schema";
import { ValidationError } from "../../../platform/errors";
import { fieldErrors } from "../../../platform/http/validation";
import { runSettlementsFor } from "../../ops/settlements.handlers";
import { RunSettlementsRequestSchema } from "../../ops/settlements.routes";
import { settlementsPage } from "../../settlements/settlements.handlers";
import { SettlementListQuerySchema } from "../../settlements/settlements.schemas";
import { consoleSection } from "../section";
import { consoleAction } from "../session";
import { Badge, Empty, filtersOf, money, NumHeader, Pager, recordErrors, Time } from "./shared";

const HREF = "/console/settlements";
const RUN = `${HREF}/run`;

const TONES: Record<SettlementStatus, "ok" | "warn" | "danger"> = {
  pending: "warn",
  settled: "ok",
  failed: "danger",
};

/** What the redirect after a run carries, shown as the page's notice (never free text from a link). */
const RunNotice = z.object({
  done: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  opened: z.coerce.number().int().min(0),
  total: z.coerce.number().int().min(0),
});

/**
 * Settlement runs: every merchant's settlements, newest period first (GET /v1/settlements as an admin),
 * and a form that settles a closed UTC day now as POST /ops/settlements/run does, audited the same.
 */
export const settlementsSection = consoleSection("Settlements", HREF, (r) =>
  r
    .onError(recordErrors(HREF))
    .get(HREF, async (c) => {
      const query = c.req.query();
      const { limit, cursor, merchantId } = filtersOf(SettlementListQuerySchema, query, [
        "done",
        "opened",
        "total",
      ]);
      const page = await settlementsPage(c.env, { limit, cursor, merchant: merchantId });
      const notice = RunNotice.safeParse(query);
      return c.render(
        <>
          <h1>Settlements</h1>
          {notice.success && (
            <p role="status" class="notice">
              {`Settlements for ${notice.data.done} run: ${notice.data.opened} opened now, ${notice.data.total} in that day.`}
            </p>
          )}
          <form method="post" action={RUN} class="inline-form" aria-label="Run settlements">
            <label for="settle-day">Day to settle (UTC, default yesterday)</label>
            <input id="settle-day" name="periodStart" type="date" />
            <button type="submit">Run settlements</button>
          </form>
          <p class="muted">
            One settlement per merchant and currency with unsettled entries; a day already settled opens
            nothing. The daily cron does the same at 00:10 UTC.
          </p>
          <form method="get" action={HREF} class="inline-form" aria-label="Filter settlements">
            <label for="settlements-merchant">Merchant id</label>
            <input id="settlements-merchant" name="merchantId" maxlength={64} value={merchantId} />
            <button type="submit">Show</button>
          </form>
          <div class="table-scroll">
            <table>
              <caption>Settlements, newest period first</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Merchant</th>
                  <th scope="col">Status</th>
                  <NumHeader>Gross sales</NumHeader>
                  <NumHeader>Fees</NumHeader>
                  <NumHeader>Refunds</NumHeader>
                  <NumHeader>Payout</NumHeader>
                  <th scope="col">Settled</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id}>
                    <td>{s.periodStart.slice(0, 10)}</td>
                    <td>
                      <code>{s.merchantId}</code>
                    </td>
                    <td>
                      <Badge tone={TONES[s.status]}>{s.status}</Badge>
                    </td>
                    <td class="num">{money(s.grossSalesMinor, s.currency)}</td>
                    <td class="num">{money(s.feesMinor, s.currency)}</td>
                    <td class="num">{money(s.refundsMinor, s.currency)}</td>
                    <td class="num">{money(s.payoutMinor, s.currency)}</td>
                    <td>
                      <Time at={s.settledAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.items.length === 0 && <Empty what="settlements" />}
          <Pager path={HREF} filters={{ limit, merchantId }} cursor={cursor} nextCursor={page.nextCursor} />
        </>,
        { title: "Settlements", section: HREF },
      );
    })
    .post(RUN, consoleAction("settlements.run"), async (c) => {
      const form = await c.req.parseBody();
      const day =
        typeof form.periodStart === "string" && form.periodStart !== "" ? form.periodStart : undefined;
      const body = RunSettlementsRequestSchema.safeParse(day === undefined ? {} : { periodStart: day });
      if (!body.success) throw new ValidationError(fieldErrors(body.error, "form"));
      const run = await runSettlementsFor(c, body.data.periodStart);
      const notice = new URLSearchParams({
        done: run.period.start.slice(0, 10),
        opened: String(run.opened),
        total: String(run.settlements.length),
      });
      return c.redirect(`${HREF}?${notice}`, 303);
    }),
);
