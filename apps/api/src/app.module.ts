import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { AuthGuard, AuthModule, Public, WhoAmIController } from '#auth';
import { AppConfig } from '#config';
import { EventStoreModule } from '#eventstore';
import { ReadModelModule } from '#read-model';

import { GraphQLApiModule } from './graphql/graphql-api.module.js';
import { HealthController } from './health/health.controller.js';
import { HealthModule } from './health/health.module.js';
import { IngestionModule } from './ingestion/ingestion.module.js';
import { loggerOptions } from './logger.options.js';

// Orchestrators probe health without credentials.
Public()(HealthController);

export interface AppModuleOptions {
  /** The validated configuration module (`AppConfigModule.forRoot(...)`). */
  readonly configModule: DynamicModule;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        options.configModule,
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
        AuthModule,
        EventStoreModule.forRoot(),
        // PostgreSQL at DATABASE_URL, else embedded PGlite; the projector runs in this process.
        ReadModelModule.forRoot(),
        HealthModule,
        IngestionModule,
        GraphQLApiModule,
      ],
      controllers: [WhoAmIController],
      // Every route needs credentials unless marked @Public().
      providers: [{ provide: APP_GUARD, useExisting: AuthGuard }],
    };
  }
}
