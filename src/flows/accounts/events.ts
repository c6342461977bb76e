import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";

/** v1 as first published: one `displayName`, no role. */
const V1 = z.object({ userId: z.string(), email: z.email(), displayName: z.string() });

/** v2: `name` replaces `displayName`, and the role is part of the fact (emails differ by role). */
const V2 = z.object({
  userId: z.string(),
  email: z.email(),
  name: z.string(),
  role: z.enum(["buyer", "merchant"]),
});

export const userRegistered = defineEvent({
  type: "user.registered",
  description: "A buyer or merchant created an account.",
  subject: "user",
  current: V2,
  versions: [
    { version: 1, schema: V1, example: { userId: "usr_01", email: "ada@example.com", displayName: "Ada" } },
    {
      version: 2,
      schema: V2,
      example: { userId: "usr_01", email: "ada@example.com", name: "Ada", role: "buyer" },
      // Every account created before v2 was a buyer's: merchants could only sign up once v2 shipped.
      upcast: (v1: z.infer<typeof V1>): z.infer<typeof V2> => ({
        userId: v1.userId,
        email: v1.email,
        name: v1.displayName,
        role: "buyer",
      }),
    },
  ],
});
