import type { AddressInfo } from 'node:net';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { AppConfig, AppConfigModule, readConfig, type Environment } from '#config';

import { AppModule } from './app.module.js';
import { ApiExceptionFilter, useApiErrorAnswers } from './http/api-exception.filter.js';
import { answerClientError } from './http/client-errors.js';
import { useHttpProtection } from './http/http-protection.js';
import { useJsonBodyParser } from './http/json-body.parser.js';
import { newRequestId, useRequestIdHeaders } from './http/request-ids.js';
import { validationPipe } from './http/validation.js';
import { setUpOpenApi } from './http/open-api.js';

export interface CreateAppOptions {
  /** Variables to use instead of the process environment (tests). */
  readonly env?: Environment;
}

/**
 * Builds the application without listening. Configuration is validated first, so a bad
 * one rejects with a `ConfigValidationError` before anything starts.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = readConfig(options.env);
  const configModule = await AppConfigModule.forRoot({ config });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register({ configModule, roles: config.roles }),
    new FastifyAdapter({
      bodyLimit: config.httpBodyLimitBytes,
      clientErrorHandler: answerClientError,
      genReqId: newRequestId,
    }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  useRequestIdHeaders(app);
  // Error answers, security headers, CORS and the rate limit: before the routes are added at init().
  useApiErrorAnswers(app);
  await useHttpProtection(app);
  useJsonBodyParser(app, config.httpBodyLimitBytes);
  app.useGlobalPipes(validationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(app.getHttpAdapter()));
  setUpOpenApi(app);
  return app;
}

export interface ListenOptions {
  /** Overrides PORT; 0 picks a free port (tests). */
  readonly port?: number;
  readonly host?: string;
}

/** Listens on PORT/HOST (or the overrides), logs where, and returns the base URL. */
export async function startApp(app: NestFastifyApplication, options: ListenOptions = {}): Promise<string> {
  const config = app.get(AppConfig);
  await app.listen(options.port ?? config.port, options.host ?? config.host);
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  app.get(Logger).log({ msg: `Listening on ${url}`, url, host: address, port }, 'Http');
  return url;
}
