import type { RouteHandler } from "@hono/zod-openapi";
import { CONSUMERS } from "../../flows";
import { NotFoundError, UnprocessableError } from "../../platform/errors";
import { faultStore, faultsEnabled, forgetActiveFaults } from "../../platform/faults/client";
import { endedAt, type FaultSpec, faultState, type StoredFault } from "../../platform/faults/model";
import type { AppEnv } from "../../platform/http/app-env";
import { newId } from "../../platform/ids";
import type { clearAllFaultsRoute, clearFaultRoute, listFaultsRoute, setFaultRoute } from "./faults.routes";
import { iso, isoOrNull, requireFaultsEnabled } from "./ops.shared";

function toFaultView(f: StoredFault, now: number) {
  const { id, createdAt, expiresAt, clearedAt: _cleared, injected, ...spec } = f;
  return {
    id,
    ...spec,
    createdAt: iso(createdAt),
    expiresAt: iso(expiresAt),
    endedAt: isoOrNull(endedAt(f, now)),
    state: faultState(f, now),
    injected,
  };
}

export const listFaults: RouteHandler<typeof listFaultsRoute, AppEnv> = async (c) => {
  const now = c.var.clock.now();
  const faults = await faultStore(c.env).list(now);
  return c.json({ enabled: faultsEnabled(c.env), faults: faults.map((f) => toFaultView(f, now)) }, 200);
};

export const setFault: RouteHandler<typeof setFaultRoute, AppEnv> = async (c) => {
  const { expiresInSeconds, ...spec } = c.req.valid("json");
  requireFaultsEnabled(c.env, "inject a fault");
  if ("consumer" in spec && !Object.hasOwn(CONSUMERS, spec.consumer)) {
    throw new UnprocessableError(`No consumer is named '${spec.consumer}'.`, "unknown-consumer", {
      consumers: Object.keys(CONSUMERS),
    });
  }
  const now = c.var.clock.now();
  const fault = await faultStore(c.env).set(
    {
      ...(spec satisfies FaultSpec),
      id: newId("flt", now),
      createdAt: now,
      expiresAt: now + expiresInSeconds * 1000,
      clearedAt: null,
      injected: 0,
    },
    now,
  );
  forgetActiveFaults();
  c.get("log").warn("fault.set", { faultId: fault.id, ...spec, expiresInSeconds });
  c.header("Location", `/ops/faults/${fault.id}`);
  return c.json(toFaultView(fault, now), 201);
};

export const clearFault: RouteHandler<typeof clearFaultRoute, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const fault = await faultStore(c.env).clear(id, c.var.clock.now());
  if (!fault) throw new NotFoundError("fault", id);
  forgetActiveFaults();
  c.get("log").warn("fault.cleared", { faultId: id, injected: fault.injected });
  return c.body(null, 204);
};

export const clearAllFaults: RouteHandler<typeof clearAllFaultsRoute, AppEnv> = async (c) => {
  const cleared = await faultStore(c.env).clearAll(c.var.clock.now());
  forgetActiveFaults();
  c.get("log").warn("faults.cleared", { cleared });
  return c.body(null, 204);
};
