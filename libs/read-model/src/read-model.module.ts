import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

import { AppConfig } from '#config';

import { ReadModelDatabase } from './database/read-model-database.js';
import { MAX_READY_LAG_EVENTS, READY_LAG_BOUND, ReadModelHealth } from './health/read-model-health.js';
import { AccountProjection, type AccountProjectionOptions } from './projection/account-projection.js';
import {
  ACCOUNT_PROJECTOR_OPTIONS,
  AccountProjector,
  type AccountProjectorOptions,
} from './projection/account-projector.js';
import { AlertsProjection } from './projection/alerts/alerts-projection.js';
import {
  ALERTS_PROJECTOR_OPTIONS,
  AlertsProjector,
  type AlertsProjectorOptions,
} from './projection/alerts/alerts-projector.js';
import { EventStoreTail } from './projection/event-store-tail.js';

export interface ReadModelModuleOptions {
  /** The projector's settings; `autoStart: false` for processes that only read. */
  readonly projector?: AccountProjectorOptions;
  /** Which tables and checkpoint name; default the live ones. */
  readonly projection?: AccountProjectionOptions;
  /** The alerts projector's settings; it starts when the account projector does unless told. */
  readonly alertsProjector?: AlertsProjectorOptions;
  /** Most events a projection may lag behind and still count as ready; default MAX_READY_LAG_EVENTS. */
  readonly readyLagBound?: number;
}

/** Closes the database after everything else has stopped (projector included). */
class ReadModelDatabaseCloser implements OnApplicationShutdown {
  constructor(private readonly database: ReadModelDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/**
 * The read model (global): the Drizzle database (PostgreSQL at DATABASE_URL, else PGlite under
 * `${DATA_DIR}/readmodel`), migrated at start and closed at shutdown; the account projector;
 * the alerts projector; the readiness check. Needs `AppConfigModule` and `EventStoreModule`.
 */
@Global()
@Module({})
export class ReadModelModule {
  static forRoot(options: ReadModelModuleOptions = {}): DynamicModule {
    return {
      module: ReadModelModule,
      providers: [
        {
          provide: ReadModelDatabase,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const database = await ReadModelDatabase.open(config);
            try {
              await database.migrate();
            } catch (error) {
              await database.close();
              throw error;
            }
            return database;
          },
        },
        {
          provide: ReadModelDatabaseCloser,
          inject: [ReadModelDatabase],
          useFactory: (database: ReadModelDatabase) => new ReadModelDatabaseCloser(database),
        },
        { provide: AccountProjection, useFactory: () => new AccountProjection(options.projection) },
        { provide: ACCOUNT_PROJECTOR_OPTIONS, useValue: options.projector ?? {} },
        EventStoreTail,
        AccountProjector,
        AlertsProjection,
        {
          provide: ALERTS_PROJECTOR_OPTIONS,
          useValue: { autoStart: options.projector?.autoStart ?? true, ...options.alertsProjector },
        },
        AlertsProjector,
        { provide: READY_LAG_BOUND, useValue: options.readyLagBound ?? MAX_READY_LAG_EVENTS },
        ReadModelHealth,
      ],
      exports: [ReadModelDatabase, AccountProjection, AccountProjector, AlertsProjector, ReadModelHealth],
    };
  }
}
