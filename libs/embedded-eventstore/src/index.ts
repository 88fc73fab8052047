export { EmbeddedEventStore } from './embedded-event-store.js';
export type { EmbeddedEventStoreOptions } from './embedded-event-store.js';
