import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RawServerDefault } from 'fastify';

/**
 * A body that is not JSON (or is empty): input the caller got wrong, like any other. It carries
 * `statusCode` and `code` so whichever error handler answers says 400 `BAD_USER_INPUT`.
 */
export class UnparsableBodyError extends Error {
  readonly statusCode = 400;
  readonly code = 'BAD_USER_INPUT';
}

/** Fastify's own JSON parser (prototype-poisoning checks included), with its refusals as {@link UnparsableBodyError}. */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) =>
    parse(request, body.toString('utf8'), (error, value) =>
      error ? done(new UnparsableBodyError(`Invalid input: ${error.message}`)) : done(null, value),
    ),
  );
}
