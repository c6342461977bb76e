import { createRoute, z } from "@hono/zod-openapi";
import { bearerAuth, jsonResponse, problems } from "../../../platform/http/openapi";
import { authenticate } from "../authenticate";
import { EmailSchema, UserSchema } from "./user.schema";

const PasswordSchema = z.string().min(8).max(256).openapi({ example: "correct horse battery" });

export const SignupBody = z
  .strictObject({
    email: EmailSchema,
    password: PasswordSchema,
    name: z.string().trim().min(1).max(100).openapi({ example: "Ada Lovelace" }),
    role: z.enum(["buyer", "merchant"]),
  })
  .openapi("SignupRequest");

export const LoginBody = z
  .strictObject({ email: EmailSchema, password: z.string().min(1).max(256) })
  .openapi("LoginRequest");

const SessionSchema = z
  .object({ token: z.string(), expiresAt: z.iso.datetime(), user: UserSchema })
  .openapi("Session");

export const signupRoute = createRoute({
  method: "post",
  path: "/v1/auth/signup",
  tags: ["Auth"],
  summary: "Create a buyer or merchant account and sign in",
  description:
    "Public. Admins are not created here. An email already registered is a 409; the answer carries a session token like login.",
  request: { body: { required: true, content: { "application/json": { schema: SignupBody } } } },
  responses: {
    201: jsonResponse(SessionSchema, "Account created; the token is ready to use"),
    ...problems(409),
  },
});

export const loginRoute = createRoute({
  method: "post",
  path: "/v1/auth/login",
  tags: ["Auth"],
  summary: "Exchange email and password for a bearer token",
  description:
    "Wrong credentials get the same 401 whether or not the email exists. Repeated failures for an email " +
    "from one client address, or from one address across emails, get 429 with Retry-After for that " +
    "address only: failures from elsewhere never lock an account's owner out.",
  request: { body: { required: true, content: { "application/json": { schema: LoginBody } } } },
  responses: { 200: jsonResponse(SessionSchema, "Signed in"), ...problems(401, 429) },
});

export const logoutRoute = createRoute({
  method: "post",
  path: "/v1/auth/logout",
  tags: ["Auth"],
  summary: "Revoke the token used for this call",
  description: "Revokes only the presented session token; other sessions of the same user keep working.",
  security: bearerAuth,
  middleware: [authenticate()] as const,
  responses: { 204: { description: "Signed out; the token no longer works" } },
});

export const meRoute = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["Auth"],
  summary: "The signed-in user",
  description: "The user behind the presented session token; an API key is a 403 here.",
  security: bearerAuth,
  middleware: [authenticate()] as const,
  responses: { 200: jsonResponse(UserSchema, "The user") },
});
