import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';

import { AppConfig } from '#config';
import { EventStoreModule } from '#eventstore';
import { ReadModelModule } from '#read-model';

/**
 * What a rebuild needs, wired as the projector process wires it (same event store, same
 * upcasters, same read model, migrated at start), but with no projector running. Logs go to
 * stderr: stdout is for progress and the summary.
 */
@Module({})
export class RebuildModule {
  static register(configModule: DynamicModule): DynamicModule {
    return {
      module: RebuildModule,
      imports: [
        configModule,
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: [{ level: config.logLevel }, pino.destination(2)],
          }),
        }),
        EventStoreModule.forRoot(),
        ReadModelModule.forRoot({ projector: { autoStart: false } }),
      ],
    };
  }
}
