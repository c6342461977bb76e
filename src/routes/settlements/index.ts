import { createRouter } from "../../platform/http/router";
import {
  getSettlementHandler,
  getSettlementStatementHandler,
  listSettlementsHandler,
} from "./settlements.handlers";
import { getSettlement, getSettlementStatement, listSettlements } from "./settlements.routes";

/** Merchant settlements: list, one with its ledger, its CSV statement. */
export const settlementRoutes = createRouter()
  .openapi(listSettlements, listSettlementsHandler)
  .openapi(getSettlement, getSettlementHandler)
  .openapi(getSettlementStatement, getSettlementStatementHandler);
