import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { AppConfig } from '#config';
import { EventStoreModule } from '#eventstore';
import { ReadModelModule } from '#read-model';

/**
 * The projections alone: event store, read model, the account and alerts projectors. No HTTP. (The
 * alert policy and the deadline monitor, which write events, run in the api's projector role.)
 */
@Module({})
export class ProjectorModule {
  static register(configModule: DynamicModule, batchSize?: number): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        configModule,
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({ pinoHttp: { level: config.logLevel } }),
        }),
        EventStoreModule.forRoot(),
        // main.ts starts the account projector once it listens to its progress.
        ReadModelModule.forRoot({
          projector: { autoStart: false, ...(batchSize ? { batchSize } : {}) },
          alertsProjector: { autoStart: true },
        }),
      ],
    };
  }
}
