import { Injectable } from '@nestjs/common';

import type { DomainEvent, RecordedDomainEvent } from './domain-event.js';

/**
 * Turns a stored shape of one event type into the next one. Old events are upcast when
 * read, never rewritten. The result must have a higher `schemaVersion` or another `type`.
 */
export interface Upcaster {
  readonly type: string;
  readonly fromSchemaVersion: number;
  upcast(event: DomainEvent): DomainEvent;
}

/** Applies upcasters in a chain (v1 → v2 → v3) until none matches. Pure. */
export function upcastEvent<E extends RecordedDomainEvent>(
  event: E,
  upcasters: ReadonlyMap<string, Upcaster>,
): E {
  let current: DomainEvent = event;
  for (let steps = 0; ; steps += 1) {
    const upcaster = upcasters.get(upcasterKey(current.type, current.metadata.schemaVersion));
    if (upcaster === undefined) break;
    if (steps >= 100) throw new Error(`Upcasting ${event.type} did not settle after 100 steps`);
    const next = upcaster.upcast(current);
    if (next.type === current.type && next.metadata.schemaVersion <= current.metadata.schemaVersion) {
      throw new Error(
        `Upcaster for ${current.type} v${current.metadata.schemaVersion} must raise the schema version or change the type`,
      );
    }
    current = next;
  }
  if (current === event) return event;
  return {
    ...event,
    type: current.type,
    data: current.data,
    metadata: current.metadata,
  };
}

export function upcasterKey(type: string, schemaVersion: number): string {
  return `${type}@${schemaVersion}`;
}

/**
 * The upcasters known to this process. Feature modules register theirs when they are built
 * (`constructor(registry: EventUpcasterRegistry) { registry.register(...) }`).
 */
@Injectable()
export class EventUpcasterRegistry {
  private readonly upcasters = new Map<string, Upcaster>();

  register(...upcasters: readonly Upcaster[]): this {
    for (const upcaster of upcasters) {
      const key = upcasterKey(upcaster.type, upcaster.fromSchemaVersion);
      if (this.upcasters.has(key)) {
        throw new Error(
          `An upcaster for ${upcaster.type} v${upcaster.fromSchemaVersion} is already registered`,
        );
      }
      this.upcasters.set(key, upcaster);
    }
    return this;
  }

  upcast<E extends RecordedDomainEvent>(event: E): E {
    return this.upcasters.size === 0 ? event : upcastEvent(event, this.upcasters);
  }
}
