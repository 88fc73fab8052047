import { Global, Module, type DynamicModule } from '@nestjs/common';

import { AppConfig } from '#config';

import { EventStoreConnection } from './event-store.connection.js';
import { EventStore } from './event-store.service.js';
import { EventUpcasterRegistry, type Upcaster } from './upcasting.js';

export interface EventStoreModuleOptions {
  /** Upcasters known from the start; feature modules may register more on the registry. */
  readonly upcasters?: readonly Upcaster[];
}

/**
 * The event store for the whole application (global): connects to
 * `EVENTSTORE_CONNECTION_STRING`, or starts the embedded server with its data under
 * `${DATA_DIR}/eventstore`. Needs `AppConfigModule`.
 */
@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions = {}): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EventStoreConnection,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => EventStoreConnection.open(config),
        },
        {
          provide: EventUpcasterRegistry,
          useFactory: () => new EventUpcasterRegistry().register(...(options.upcasters ?? [])),
        },
        EventStore,
      ],
      exports: [EventStore, EventStoreConnection, EventUpcasterRegistry],
    };
  }
}
