import { createRouter } from "../../platform/http/router";
import { createQuoteHandler, getQuoteHandler } from "./quotes.handlers";
import { createQuote, getQuote } from "./quotes.routes";

/** Buyer price quotes: POST prices and stores a cart, GET reads one back unchanged. */
export const quoteRoutes = createRouter()
  .openapi(createQuote, createQuoteHandler)
  .openapi(getQuote, getQuoteHandler);
