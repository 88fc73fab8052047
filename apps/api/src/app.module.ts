import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { AlertPolicyModule } from '#alert-policy';
import { AlertWebhooksModule } from '#alert-webhooks';
import { AuthGuard, AuthModule, Public, WhoAmIController } from '#auth';
import { AppConfig, type ProcessRole } from '#config';
import { EventStoreModule } from '#eventstore';
import { ReadModelModule } from '#read-model';
import { RiskMonitorModule } from '#risk-monitor';

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
  /** The roles this process takes (from the validated ROLES). */
  readonly roles: readonly ProcessRole[];
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
        // PostgreSQL at DATABASE_URL, else embedded PGlite (in a worker thread, so the projector's
        // batches do not stall the API's event loop). The projector runs here with the projector role.
        ReadModelModule.forRoot({ projector: { autoStart: options.roles.includes('projector') } }),
        // The deadline monitor, the alert policy and the alert webhooks (idle without
        // ALERT_WEBHOOK_URLS) work next to the projectors (the worker's jobs).
        ...(options.roles.includes('projector')
          ? [RiskMonitorModule.forRoot(), AlertPolicyModule.forRoot(), AlertWebhooksModule.forRoot()]
          : []),
        HealthModule,
        // Without the api role the process serves health only.
        ...(options.roles.includes('api') ? [IngestionModule, GraphQLApiModule] : []),
      ],
      controllers: [WhoAmIController],
      // Every route needs credentials unless marked @Public().
      providers: [{ provide: APP_GUARD, useExisting: AuthGuard }],
    };
  }
}
