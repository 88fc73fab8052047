import {
  jsonEvent,
  type AllStreamRecordedEvent,
  type EventData,
  type RecordedEvent,
} from '@eventstore/db-client';

import type { DomainEvent, EventMetadata, JsonObject, RecordedDomainEvent } from './domain-event.js';

/** What is stored: ours, plus the keys EventStoreDB's own projections read. */
type StoredMetadata = EventMetadata & { readonly $correlationId: string; readonly $causationId: string };

export function toEventData(event: DomainEvent): EventData {
  const metadata: StoredMetadata = {
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    principal: event.metadata.principal,
    schemaVersion: event.metadata.schemaVersion,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  return jsonEvent({ type: event.type, data: event.data as Record<string, unknown>, metadata });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Reads metadata tolerantly: events written by other tools may lack fields, and a reader
 * must never fail on the log. A missing schema version means the first one.
 */
export function readMetadata(raw: unknown): EventMetadata {
  const record =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const schemaVersion = record.schemaVersion;
  return {
    correlationId: text(record.correlationId) || text(record.$correlationId),
    causationId: text(record.causationId) || text(record.$causationId),
    principal: text(record.principal),
    schemaVersion: typeof schemaVersion === 'number' && Number.isInteger(schemaVersion) ? schemaVersion : 1,
  };
}

/** `undefined` for what is not a JSON domain event (binary payloads, system events). */
export function toRecordedDomainEvent(
  recorded: RecordedEvent | AllStreamRecordedEvent,
): RecordedDomainEvent | undefined {
  if (!recorded.isJson || recorded.type.startsWith('$')) return undefined;
  const data = recorded.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  return {
    id: recorded.id,
    streamName: recorded.streamId,
    revision: recorded.revision,
    position: recorded.position,
    created: recorded.created,
    type: recorded.type,
    data: data as JsonObject,
    metadata: readMetadata(recorded.metadata),
  };
}
