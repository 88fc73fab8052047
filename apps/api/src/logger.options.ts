import type { IncomingMessage } from 'node:http';

import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino from 'pino';

import type { AppConfig } from '#config';

import { requestIdsOf } from './http/request-ids.js';

/** Never written to a log: credentials in request headers, cookies either way. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/** Probes and scrapes come every few seconds: they are not logged per request. */
const UNLOGGED_PATHS = ['/health/', '/metrics'];

/**
 * JSON logs on stdout at LOG_LEVEL. Every line logged during a request carries its `requestId`
 * (Fastify's id for it, also `req.id`) and `correlationId`: the ones its response headers show
 * and the metadata of the events its commands write carry.
 */
export function loggerOptions(config: AppConfig): Params {
  // Completion lines are written at info. Below it, say so up front: the request logger would
  // otherwise build each line (its properties, a child logger) only for pino to drop it.
  const infoWritten = (pino.levels.values[config.logLevel] ?? Infinity) <= pino.levels.values.info;
  return {
    // Every request, GraphQL's too (Mercurius's route is not one of Nest's): the adapter takes
    // this path for all of them, where the library's default matches none here.
    forRoutes: [{ path: '/*path', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      customProps: (req: IncomingMessage) => ({ ...requestIdsOf(req) }),
      customLogLevel: () => (infoWritten ? 'info' : 'silent'),
      autoLogging: {
        ignore: (req: IncomingMessage & { originalUrl?: string }) =>
          UNLOGGED_PATHS.some((path) => (req.originalUrl ?? req.url)?.startsWith(path) ?? false),
      },
      redact: REDACTED_PATHS,
    },
  };
}
