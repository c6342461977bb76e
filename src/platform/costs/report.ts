import { type CostCounters, UNATTRIBUTED } from "./meter";
import { costOf, emptyUsage, type LineItem, perMillion, totalDollars, type Usage } from "./model";
import { INCLUDED_PER_MONTH, PRICES, PRICES_READ_ON } from "./prices";

export interface CostLine {
  name: string;
  /** What "per 1M" counts: facts committed for a flow, deliveries acknowledged for a consumer. */
  units: number;
  dollars: number;
  dollarsPerMillion: number | null;
  lineItems: LineItem[];
  usage: Usage;
}

const lineOf = (name: string, usage: Usage, units: number): CostLine => {
  const lineItems = costOf(usage);
  const dollars = totalDollars(lineItems);
  return { name, units, dollars, dollarsPerMillion: perMillion(dollars, units), lineItems, usage };
};

const byName = (a: CostLine, b: CostLine) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Per flow (per 1M facts) and per consumer (per 1M acknowledged deliveries), from one set of counters. */
export function costLines(c: CostCounters): { flows: CostLine[]; consumers: CostLine[] } {
  return {
    flows: Object.entries(c.flows)
      .map(([name, u]) => lineOf(name, u, u.facts))
      .sort(byName),
    consumers: Object.entries(c.consumers)
      .map(([name, u]) => lineOf(name, u, u.queueAcks))
      .sort(byName),
  };
}

export interface TodaySpend {
  since: number;
  dollars: number;
  lineItems: LineItem[];
  /**
   * Per unit, today's use against a day's share (1/30) of the paid plan's monthly allowance: while
   * every one is inside, today's spend is covered by the $5 plan and the dollars above are notional.
   */
  allowances: { item: string; used: number; includedPerDay: number; inside: boolean }[];
  insideAllowances: boolean;
}

/** Today's spend so far across every flow (the unattributed included), and where it sits against the allowances. */
export function todaySpend(today: CostCounters): TodaySpend {
  const all = Object.values(today.flows).reduce((sum, u) => {
    for (const k of Object.keys(sum) as (keyof Usage)[]) sum[k] += u[k];
    return sum;
  }, emptyUsage());
  const lineItems = costOf(all);
  const allowances = lineItems.flatMap((i) => {
    const monthly = INCLUDED_PER_MONTH[i.item];
    if (monthly === undefined) return [];
    const includedPerDay = monthly / 30;
    return [{ item: i.item, used: i.quantity, includedPerDay, inside: i.quantity <= includedPerDay }];
  });
  return {
    since: today.since,
    dollars: totalDollars(lineItems),
    lineItems,
    allowances,
    insideAllowances: allowances.every((a) => a.inside),
  };
}

/** The prices the figures use, with their sources (one per price). */
export const priceSheet = () => ({
  readOn: PRICES_READ_ON,
  prices: Object.entries(PRICES).map(([item, p]) => ({
    item,
    dollars: p.dollars,
    per: p.per,
    unit: p.unit,
    source: p.source,
  })),
});

export { UNATTRIBUTED };
