import { UnauthorizedError } from "../errors";
import type { Principal } from "./app-env";

/** The authenticated principal; only call behind `authenticate` (src/routes/accounts/authenticate.ts). */
export function principalOf(c: { get(key: "principal"): Principal | undefined }): Principal {
  const p = c.get("principal");
  if (!p) throw new UnauthorizedError();
  return p;
}
