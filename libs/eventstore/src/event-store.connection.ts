import { join } from 'node:path';

import { EventStoreDBClient } from '@eventstore/db-client';
import { Logger, type OnModuleDestroy } from '@nestjs/common';

import type { AppConfig } from '#config';
import { EmbeddedEventStore } from '#embedded-eventstore';

import { redact } from './connection-string.js';

export type EventStoreMode = 'embedded' | 'external';

/** Something that has to stop before the client goes away (subscriptions). */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * The one client to the event store, and the embedded server when no external one is
 * configured. On module destroy it stops the subscriptions, disposes the client, then stops
 * the embedded server, in that order.
 */
const DISPOSE_TIMEOUT_MS = 3000;

export class EventStoreConnection implements OnModuleDestroy {
  private static readonly logger = new Logger('EventStore');
  private readonly dependents = new Set<Stoppable>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly client: EventStoreDBClient,
    readonly mode: EventStoreMode,
    readonly connectionString: string,
    private readonly embedded: EmbeddedEventStore | undefined,
  ) {}

  static async open(
    config: Pick<AppConfig, 'eventStoreConnectionString' | 'dataDir'>,
  ): Promise<EventStoreConnection> {
    const external = config.eventStoreConnectionString;
    if (external !== undefined) {
      const client = EventStoreDBClient.connectionString(external);
      this.logger.log({
        msg: `Using an external EventStoreDB at ${redact(external)}`,
        eventStore: 'external',
        connectionString: redact(external),
      });
      return new EventStoreConnection(client, 'external', external, undefined);
    }
    const dataDir = join(config.dataDir, 'eventstore');
    const embedded = await EmbeddedEventStore.start({ dataDir, host: '127.0.0.1', port: 0 });
    const client = EventStoreDBClient.connectionString(embedded.connectionString);
    this.logger.log({
      msg: `Started the embedded event store at ${embedded.connectionString} with data in ${dataDir}`,
      eventStore: 'embedded',
      connectionString: embedded.connectionString,
      dataDir,
    });
    return new EventStoreConnection(client, 'embedded', embedded.connectionString, embedded);
  }

  /** Registers something to stop before the client is disposed; returns the unregister function. */
  track(dependent: Stoppable): () => void {
    this.dependents.add(dependent);
    return () => this.dependents.delete(dependent);
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await Promise.allSettled([...this.dependents].map((dependent) => dependent.stop()));
    this.dependents.clear();
    // dispose() waits for every read the client still tracks, and a read abandoned half way is
    // never finished: bound the wait so shutdown always completes.
    let timer: NodeJS.Timeout | undefined;
    const disposed = await Promise.race([
      this.client.dispose().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DISPOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!disposed) {
      EventStoreConnection.logger.warn(
        `The event-store client did not close within ${DISPOSE_TIMEOUT_MS} ms; going on`,
      );
    }
    if (this.embedded !== undefined) {
      await this.embedded.stop();
      EventStoreConnection.logger.log('Stopped the embedded event store');
    }
  }
}
