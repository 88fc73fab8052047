import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';

import { AppConfig } from '#config';
import { EventStoreModule } from '#eventstore';

import { HealthModule } from './health/health.module.js';
import { loggerOptions } from './logger.options.js';

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
        EventStoreModule.forRoot(),
        HealthModule,
      ],
    };
  }
}
