import { EVENT_CATALOG } from "../../src/flows";

/** Every version of every catalog type, named for `it.each` (`user.registered v2`). Imports no binding. */
export const everyEventVersion = Object.values(EVENT_CATALOG).flatMap((def) =>
  def.versions.map((v) => ({ name: `${def.type} v${v.version}`, def, v })),
);
