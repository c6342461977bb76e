import { z } from "zod";
import { defineEvent } from "../../platform/events/define-event";
import { QueuedClientEventSchema } from "./client-event";

/**
 * v1: a slice of one `POST /v1/events` request's accepted client events. A request of up to 500
 * events becomes one or more of these (each message stays well under the queue's 128 KB limit);
 * `ownerId` is the account whose key sent them, the namespace of the client's event ids.
 */
const V1 = z.object({
  ownerId: z.string(),
  events: z.array(QueuedClientEventSchema).min(1),
});

export const analyticsEventsReceived = defineEvent({
  type: "analytics.events_received",
  description:
    "A merchant's storefront reported client events (product views, cart changes, searches, checkouts).",
  subject: "user",
  current: V1,
  versions: [
    {
      version: 1,
      schema: V1,
      example: {
        ownerId: "usr_01",
        events: [
          {
            id: "ev-1",
            type: "product.viewed",
            occurredAt: "2026-08-01T12:00:00.000Z",
            productId: "prd_01",
            sessionId: "s-1",
          },
          {
            id: "ev-2",
            type: "search.performed",
            occurredAt: "2026-08-01T12:00:05.000Z",
            query: "red shoes",
          },
        ],
      },
    },
  ],
});
