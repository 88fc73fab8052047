export { EmbeddedEventStore } from './embedded-event-store.js';
export type { EmbeddedEventStoreOptions } from './embedded-event-store.js';
export { EventStoreProcess, freePort } from './eventstore-process.js';
export type { IntegrityReport } from './storage/integrity.js';
