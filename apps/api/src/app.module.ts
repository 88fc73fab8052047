import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';

import { AlertPolicyModule } from '#alert-policy';
import { AlertWebhooksModule } from '#alert-webhooks';
import { AuthGuard, AuthModule, Public, WhoAmIController } from '#auth';
import { AppConfig, type ProcessRole } from '#config';
import { EventStoreModule } from '#eventstore';
import { MetricsModule } from '#metrics';
import { ReadModelModule } from '#read-model';
import { RiskMonitorModule } from '#risk-monitor';
import { WorkerLeaseModule } from '#worker-lease';

import { GraphQLApiModule } from './graphql/graphql-api.module.js';
import { HealthController } from './health/health.controller.js';
import { HealthModule } from './health/health.module.js';
import { IngestionModule } from './ingestion/ingestion.module.js';
import { loggerOptions } from './logger.options.js';
import { MetricsEndpointModule } from './metrics/metrics-endpoint.module.js';
import { HttpDrain } from './http/http-drain.js';
import { WorkerRole } from './worker/worker-role.js';

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
    const worker = options.roles.includes('worker');
    return {
      module: AppModule,
      imports: [
        options.configModule,
        LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerOptions }),
        AuthModule,
        MetricsModule,
        EventStoreModule.forRoot(),
        // PostgreSQL at DATABASE_URL, else embedded PGlite (in a worker thread, so the projector's
        // batches do not stall the API's event loop). The projectors never start by themselves:
        // with the worker role, WorkerRole starts them while this process leads.
        ReadModelModule.forRoot({ projector: { autoStart: false } }),
        // The worker's jobs next to the projectors: the deadline monitor, the alert policy and the
        // alert webhooks (idle without ALERT_WEBHOOK_URLS), and which worker process runs them.
        ...(worker
          ? [
              RiskMonitorModule.forRoot({ autoStart: false }),
              AlertPolicyModule.forRoot({ autoStart: false }),
              AlertWebhooksModule.forRoot({ autoStart: false }),
              WorkerLeaseModule.forRoot(),
            ]
          : []),
        HealthModule,
        // GET /metrics in every process (METRICS_TOKEN, when set, guards it).
        MetricsEndpointModule,
        // Without the api role the process serves health only.
        ...(options.roles.includes('api') ? [IngestionModule, GraphQLApiModule] : []),
      ],
      controllers: [WhoAmIController],
      // Every route needs credentials unless marked @Public().
      // HttpDrain first: requests in flight at shutdown finish before anything else stops.
      providers: [HttpDrain, { provide: APP_GUARD, useExisting: AuthGuard }, ...(worker ? [WorkerRole] : [])],
    };
  }
}
