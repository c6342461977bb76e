/** PLATFORM_FEE_BPS as a number; a missing or malformed value is a deployment mistake and throws. */
export function feeBpsOf(env: Pick<Env, "PLATFORM_FEE_BPS">): number {
  const bps = Number(env.PLATFORM_FEE_BPS);
  if (env.PLATFORM_FEE_BPS === undefined || !Number.isInteger(bps) || bps < 0 || bps > 10_000)
    throw new Error(`PLATFORM_FEE_BPS must be an integer 0..10000, got '${env.PLATFORM_FEE_BPS}'`);
  return bps;
}

/** Where a settlement's CSV statement lives in the FILES bucket. */
export const statementKeyOf = (merchantId: string, settlementId: string): string =>
  `settlements/${merchantId}/${settlementId}.csv`;

/** The daily cron (wrangler.toml) that settles the previous UTC day; every other expression is maintenance. */
export const SETTLEMENT_CRON = "10 0 * * *";
