import { CHECKOUT_EVENTS } from "../../checkout/published-events";
import { SETTLEMENT_EVENTS } from "../../settlements/events";
import type { CurrentData, EventDefinition } from "../define-event";
import { analyticsEventsReceived } from "./analytics-events-received";
import { catalogImportChunkStaged, catalogImported, catalogImportUploaded } from "./catalog-imports";
import { opsAlertRaised } from "./ops-alert-raised";
import { reportGenerated } from "./report-generated";
import { reportRequested } from "./report-requested";
import { userRegistered } from "./user-registered";

/** Every event type Crossdock publishes. Adding a type here is what makes it publishable and consumable. */
export const EVENT_CATALOG = {
  [userRegistered.type]: userRegistered,
  [opsAlertRaised.type]: opsAlertRaised,
  [analyticsEventsReceived.type]: analyticsEventsReceived,
  [reportRequested.type]: reportRequested,
  [reportGenerated.type]: reportGenerated,
  // The checkout saga's facts, defined beside its decisions (src/domain/checkout/published-events.ts).
  ...CHECKOUT_EVENTS,
  // Merchant settlements (src/domain/settlements/events.ts).
  ...SETTLEMENT_EVENTS,
  [catalogImportUploaded.type]: catalogImportUploaded,
  [catalogImportChunkStaged.type]: catalogImportChunkStaged,
  [catalogImported.type]: catalogImported,
} as const satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof EVENT_CATALOG;

/** The current data shape of an event type. */
export type EventData<T extends EventType> = CurrentData<(typeof EVENT_CATALOG)[T]>;

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_CATALOG, type);
