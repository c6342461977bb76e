/**
 * Crossdock, unchanged, plus one route that a naive service chain would have: `POST /chain/orders`
 * does the whole checkout before it answers (see ./chain-order.ts). Everything else — `POST /v1/orders`
 * and its saga, the queues, the crons, the Durable Objects — is crossdock's own export, so both paths
 * run in one bundle, on one D1, in one workerd. `GET /chain/ledger` reads the payment sandbox's records,
 * which the harness checks for double charges. Bench only: nothing here is deployed.
 */
import crossdock from "../../src/index";
import { placeChainOrder } from "./chain-order";
import { ledgerSummary } from "./ledger";

export * from "../../src/index";

export default {
  ...crossdock,
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/chain/orders") return placeChainOrder(request, env);
    if (request.method === "GET" && pathname === "/chain/ledger") return ledgerSummary(env);
    return crossdock.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
