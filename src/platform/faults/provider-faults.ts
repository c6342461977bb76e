import { errorFields, type Logger } from "../observability/logger";
import { activeFaults, type FaultsEnv, recordInjections } from "./client";
import { type FaultProvider, type OutageFault, outageStrikes, providerOutage } from "./model";

/**
 * The provider seams' one question: is an outage striking `provider` now, on this call? An outage with a
 * `rate` strikes when `random()` (a draw in [0, 1), injected so tests can choose) falls under it. When
 * one strikes, the call is logged as `fault.injected` (with `fields`, e.g. the operation) and counted on
 * the fault before the caller fails it its own way. A fault store that cannot be read never fails a
 * provider call.
 *
 * @example
 * const outage = await strikingOutage(env, "email", log, { eventId });
 * if (outage) throw new InjectedFault(outage.id, outage.kind, "email provider outage");
 */
export async function strikingOutage(
  env: FaultsEnv,
  provider: FaultProvider,
  log: Logger,
  fields: Record<string, unknown> = {},
  random: () => number = Math.random,
): Promise<OutageFault | null> {
  const now = Date.now();
  let outage: OutageFault | null;
  try {
    outage = providerOutage(await activeFaults(env, now), provider, now);
  } catch (err) {
    log.error("fault.read-failed", errorFields(err));
    return null;
  }
  if (!outage || !outageStrikes(outage, random())) return null;
  log.warn("fault.injected", {
    faultId: outage.id,
    kind: outage.kind,
    provider,
    mode: outage.mode,
    ...(outage.rate === undefined ? {} : { rate: outage.rate }),
    ...fields,
    injected: true,
  });
  await recordInjections(env, new Map([[outage.id, 1]]), log);
  return outage;
}
