import { z } from "@hono/zod-openapi";
import { createSelectSchema } from "drizzle-zod";
import { type UserRow, users } from "../../../flows/accounts/schema";

/** The public view of a user, derived from the drizzle table so a column rename breaks the build here. */
export const UserSchema = createSelectSchema(users)
  .pick({ id: true, email: true, name: true, role: true })
  .extend({ createdAt: z.iso.datetime() })
  .openapi("User");

export type UserView = z.infer<typeof UserSchema>;

export function toUserView(row: Pick<UserRow, "id" | "email" | "name" | "role" | "createdAt">): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

/** Emails are compared case-insensitively: stored and looked up lower-cased and trimmed. */
export const EmailSchema = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase())
  .openapi({ example: "ada@example.com" });
