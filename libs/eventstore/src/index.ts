export { CatchUpSubscriptionRunner } from './catch-up-subscription.js';
export type {
  CatchUpSubscription,
  CatchUpSubscriptionOptions,
  SubscriptionFilter,
} from './catch-up-subscription.js';
export { CURRENT_SCHEMA_VERSION, causedBy, createEvent, startedBy } from './domain-event.js';
export type {
  AllStreamDomainEvent,
  DomainEvent,
  EventContext,
  EventMetadata,
  JsonObject,
  JsonPrimitive,
  JsonValue,
  RecordedDomainEvent,
} from './domain-event.js';
export {
  guardEventStoreClientFaults,
  isLateBatchAppendResponse,
  isLostTransportRejection,
} from './client-fault-guard.js';
export type { ClientFaultLogger } from './client-fault-guard.js';
export { EventStoreConnection } from './event-store.connection.js';
export type { EventStoreMode, Stoppable } from './event-store.connection.js';
export { ConcurrencyConflictError } from './event-store.errors.js';
export { EventStoreModule } from './event-store.module.js';
export type { EventStoreModuleOptions } from './event-store.module.js';
export { EventStore, NO_STREAM_REVISION } from './event-store.service.js';
export { redact } from './connection-string.js';
export { comparePositions } from './positions.js';
export type { AppendResult, ExpectedRevision, LoadedStream } from './event-store.service.js';
export { EventUpcasterRegistry, upcastEvent } from './upcasting.js';
export type { Upcaster } from './upcasting.js';
export type { Position } from '@eventstore/db-client';
