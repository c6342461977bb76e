import { createRouter } from "../../platform/http/router";
import {
  bulkRedrive,
  deleteDeadLetter,
  getDeadLetter,
  listDeadLetters,
  redriveDeadLetter,
} from "./dead-letters.handlers";
import {
  bulkRedriveRoute,
  deleteDeadLetterRoute,
  getDeadLetterRoute,
  listDeadLettersRoute,
  redriveDeadLetterRoute,
} from "./dead-letters.routes";

/** Operations, admin only. See docs/OPERATIONS.md. */
export const opsRoutes = createRouter()
  .openapi(listDeadLettersRoute, listDeadLetters)
  .openapi(bulkRedriveRoute, bulkRedrive)
  .openapi(getDeadLetterRoute, getDeadLetter)
  .openapi(redriveDeadLetterRoute, redriveDeadLetter)
  .openapi(deleteDeadLetterRoute, deleteDeadLetter);
