import { createRoute } from "@hono/zod-openapi";
import { bearerAuth, problems } from "../../platform/http/openapi";
import { authenticate } from "../accounts/authenticate";
import {
  SettlementIdParamsSchema,
  SettlementListQuerySchema,
  SettlementListSchema,
  SettlementSchema,
} from "./settlements.schemas";

const tags = ["Settlements"];
// Sessions only (no scope named): a merchant reads their own, an admin any.
const merchantOrAdmin = authenticate({ roles: ["merchant", "admin"] });

export const listSettlements = createRoute({
  method: "get",
  path: "/v1/settlements",
  tags,
  summary: "List your settlements, newest period first",
  description:
    "A merchant sees their own settlements; only an admin may filter by `merchantId` (403 otherwise).",
  security: bearerAuth,
  middleware: [merchantOrAdmin] as const,
  request: { query: SettlementListQuerySchema },
  responses: {
    200: {
      description: "A page of settlements",
      content: { "application/json": { schema: SettlementListSchema } },
    },
  },
});

export const getSettlement = createRoute({
  method: "get",
  path: "/v1/settlements/{id}",
  tags,
  summary: "Read one of your settlements with its double-entry ledger",
  description: "Another merchant's settlement is answered exactly like an unknown id: 404.",
  security: bearerAuth,
  middleware: [merchantOrAdmin] as const,
  request: { params: SettlementIdParamsSchema },
  responses: {
    200: { description: "The settlement", content: { "application/json": { schema: SettlementSchema } } },
    ...problems(404),
  },
});

export const getSettlementStatement = createRoute({
  method: "get",
  path: "/v1/settlements/{id}/statement",
  tags,
  summary: "Download a settlement's CSV statement",
  description: "409 `statement-not-ready` while the settlement is not settled yet.",
  security: bearerAuth,
  middleware: [merchantOrAdmin] as const,
  request: { params: SettlementIdParamsSchema },
  responses: {
    200: {
      description: "The statement: summary, ledger and the orders settled",
      headers: {
        "Content-Disposition": {
          description: 'attachment; filename="<id>.csv"',
          schema: { type: "string" as const },
        },
      },
      content: { "text/csv": { schema: { type: "string" as const } } },
    },
    ...problems(404, 409),
  },
});
