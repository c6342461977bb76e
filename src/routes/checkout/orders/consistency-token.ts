import { z } from "zod";
import { decodeOpaque, encodeOpaque } from "../../../platform/encoding/opaque-token";
import { BadRequestError } from "../../../platform/errors";

/** What a write told its caller: this order had reached this version of its saga. */
export interface ConsistencyPoint {
  orderId: string;
  version: number;
}

const TokenSchema = z.strictObject({ orderId: z.string().min(1).max(64), version: z.number().int().min(0) });

/**
 * The opaque token a write returns (`POST /v1/orders`, cancel, refund); `GET /v1/orders` waits for the
 * read model to reach it.
 *
 * @example
 * consistencyToken({ orderId: "ord_1", version: 1 });
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
