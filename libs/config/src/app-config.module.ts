import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';

import { AppConfig } from './app-config.js';
import type { Environment } from './env-reader.js';
import { parseConfig } from './parse-config.js';

const APP_CONFIG_KEY = 'appConfig';

export interface AppConfigModuleOptions {
  /**
   * Variables to read instead of the process environment (tests boot apps with their own).
   * When omitted, the process environment is read, once.
   */
  readonly env?: Environment;
  /** An already validated configuration (the composition root parsed it first). */
  readonly config?: AppConfig;
}

/** Reads and validates the configuration: from `env` when given, else from the process environment. */
export function readConfig(env?: Environment): AppConfig {
  return parseConfig(env ?? (process.env as Environment));
}

/**
 * Validates the environment once at start-up and provides the typed, frozen
 * {@link AppConfig} to every module (global). Invalid configuration rejects with a
 * `ConfigValidationError` before anything else is built.
 */
@Global()
@Module({})
export class AppConfigModule {
  static async forRoot(options: AppConfigModuleOptions = {}): Promise<DynamicModule> {
    const configModule = await ConfigModule.forRoot({
      ignoreEnvFile: true,
      // With explicit variables the process environment must not leak in.
      validatePredefined: options.env === undefined && options.config === undefined,
      skipProcessEnv: true,
      // The parsed object is kept under one key: nothing is written back to process.env.
      validate: (raw) => ({ [APP_CONFIG_KEY]: options.config ?? parseConfig(options.env ?? raw) }),
    });
    return {
      module: AppConfigModule,
      imports: [configModule],
      providers: [
        {
          provide: AppConfig,
          inject: [ConfigService],
          useFactory: (configService: ConfigService): AppConfig =>
            configService.getOrThrow<AppConfig>(APP_CONFIG_KEY),
        },
      ],
      exports: [AppConfig],
    };
  }
}
