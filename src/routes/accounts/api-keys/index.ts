import { createRouter } from "../../../platform/http/router";
import { createApiKey, deleteApiKey, listApiKeys } from "./api-keys.handlers";
import { createApiKeyRoute, deleteApiKeyRoute, listApiKeysRoute } from "./api-keys.routes";

export const apiKeyRoutes = createRouter()
  .openapi(createApiKeyRoute, createApiKey)
  .openapi(listApiKeysRoute, listApiKeys)
  .openapi(deleteApiKeyRoute, deleteApiKey);
