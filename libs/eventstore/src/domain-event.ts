import type { Position } from '@eventstore/db-client';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
/**
 * Plain JSON data. Declare event data with `type` aliases (interfaces do not get the implicit
 * index signature this needs). `undefined` properties are dropped when written.
 */
export type JsonObject = { readonly [key: string]: JsonValue | undefined };

/** Who caused an event and why; stored as the event's metadata. */
export type EventMetadata = {
  /** Shared by every event that one outside request led to, across streams. */
  readonly correlationId: string;
  /** Id of the command or event that directly caused this one. */
  readonly causationId: string;
  /** Id of the caller (person, API key or system role) on whose behalf it was written. */
  readonly principal: string;
  /** Version of the `data` shape for this `type`; old versions are upcast when read. */
  readonly schemaVersion: number;
};

/** A fact, named in the past tense (`AccountOpened`), with plain JSON data. */
export type DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> = {
  readonly type: Type;
  readonly data: Data;
  readonly metadata: EventMetadata;
};

/** An event as read back from the store. */
export type RecordedDomainEvent<E extends DomainEvent = DomainEvent> = E & {
  readonly id: string;
  readonly streamName: string;
  readonly revision: bigint;
  /** Position in `$all`; always present on events from `$all` subscriptions. */
  readonly position: Position | undefined;
  /** When the server stored it. */
  readonly created: Date;
};

/** An event delivered from `$all`, where the position is known. */
export type AllStreamDomainEvent<E extends DomainEvent = DomainEvent> = RecordedDomainEvent<E> & {
  readonly position: Position;
};

/** The metadata context an operation writes its events with. */
export type EventContext = Omit<EventMetadata, 'schemaVersion'>;

export const CURRENT_SCHEMA_VERSION = 1;

/** Builds an event; `schemaVersion` defaults to 1. */
export function createEvent<const Type extends string, Data extends JsonObject>(
  type: Type,
  data: Data,
  context: EventContext & { readonly schemaVersion?: number },
): DomainEvent<Type, Data> {
  return {
    type,
    data,
    metadata: {
      correlationId: context.correlationId,
      causationId: context.causationId,
      principal: context.principal,
      schemaVersion: context.schemaVersion ?? CURRENT_SCHEMA_VERSION,
    },
  };
}

/** Context for events written in reaction to `cause`: same correlation, caused by it. */
export function causedBy(
  cause: { readonly id: string; readonly metadata: EventMetadata },
  principal: string,
): EventContext {
  return { correlationId: cause.metadata.correlationId, causationId: cause.id, principal };
}

/** Context for events written for a fresh request (a command whose id starts the chain). */
export function startedBy(
  commandId: string,
  principal: string,
  correlationId: string = commandId,
): EventContext {
  return { correlationId, causationId: commandId, principal };
}
