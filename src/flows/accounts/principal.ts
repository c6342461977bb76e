import type { ApiKeyScope, Role, UserRow } from "./schema";

/** Who is calling: a user with a session token, or a merchant's API key limited to its scopes. */
export type AccountPrincipal = { userId: string; role: Role; user: PrincipalUser } & (
  | { kind: "session"; tokenHash: string }
  | { kind: "api-key"; apiKeyId: string; scopes: readonly ApiKeyScope[] }
);

/** The caller's user row, loaded with the credential in one query so handlers need not re-read it. */
export type PrincipalUser = Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">;

declare module "../../platform/http/app-env" {
  interface PrincipalRegistry {
    principal: AccountPrincipal;
  }
}
