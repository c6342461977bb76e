import { createRouter } from "../../platform/http/router";
import { handleCreateProduct, handleGetProduct, handleSearchProducts } from "./products.handlers";
import { createProduct, getProduct, searchProducts } from "./products.routes";

/** The public catalog (search, get) and merchants' listing endpoint. */
export const productRoutes = createRouter()
  .openapi(searchProducts, handleSearchProducts)
  .openapi(getProduct, handleGetProduct)
  .openapi(createProduct, handleCreateProduct);
