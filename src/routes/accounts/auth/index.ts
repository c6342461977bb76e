import { createRouter } from "../../../platform/http/router";
import { login, logout, me, signup } from "./auth.handlers";
import { loginRoute, logoutRoute, meRoute, signupRoute } from "./auth.routes";

export const authRoutes = createRouter()
  .openapi(signupRoute, signup)
  .openapi(loginRoute, login)
  .openapi(logoutRoute, logout)
  .openapi(meRoute, me);
