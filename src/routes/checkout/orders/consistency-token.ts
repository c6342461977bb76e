import { z } from "zod";
import { isBookmark } from "../../../platform/db/sessions";
import { decodeOpaque, encodeOpaque } from "../../../platform/encoding/opaque-token";
import { BadRequestError } from "../../../platform/errors";

/**
 * What a write told its caller: this order had reached this version of its saga, and D1 this bookmark
 * (read replication: the list's session starts there). Tokens issued before bookmarks have none.
 */
export interface ConsistencyPoint {
  orderId: string;
  version: number;
  bookmark?: string | undefined;
}

const TokenSchema = z.strictObject({
  orderId: z.string().min(1).max(64),
  version: z.number().int().min(0),
  bookmark: z.string().refine(isBookmark).optional(),
});

/**
 * The opaque token a write returns (`POST /v1/orders`, cancel, refund); `GET /v1/orders` waits for the
 * read model to reach it.
 *
 * @example
 * consistencyToken({ orderId: "ord_1", version: 1, bookmark: session.getBookmark() ?? undefined });
 */
export const consistencyToken = (point: ConsistencyPoint): string => encodeOpaque(point);

/** @throws BadRequestError (`invalid-consistency-token`) unless `token` came from `consistencyToken`. */
export function parseConsistencyToken(token: string): ConsistencyPoint {
  const point = decodeOpaque(token, TokenSchema);
  if (!point) {
    throw new BadRequestError(
      "The consistencyToken is malformed; send the token a write returned, unchanged.",
      "invalid-consistency-token",
    );
  }
  return point;
}
