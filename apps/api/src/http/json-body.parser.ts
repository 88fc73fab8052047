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

/**
 * The deepest nesting of objects and arrays a body may have. The API's own bodies nest five
 * levels at most; much deeper ones overflowed the stack of the validation's object mapping
 * (class-transformer recurses), which answered 500.
 */
export const MAX_BODY_NESTING = 32;

/** Fastify's own JSON parser (prototype-poisoning checks included), with its refusals as {@link UnparsableBodyError}. */
export function useJsonBodyParser(app: NestFastifyApplication, bodyLimit: number): void {
  const parse = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  app.useBodyParser<RawServerDefault>('application/json', { bodyLimit }, (request, body, done) =>
    parse(request, body.toString('utf8'), (error, value) => {
      if (error) return done(new UnparsableBodyError(`Invalid input: ${error.message}`));
      if (nestsDeeperThan(value, MAX_BODY_NESTING)) {
        return done(
          new UnparsableBodyError(
            `Invalid input: the body nests objects and arrays more than ${MAX_BODY_NESTING} levels deep`,
          ),
        );
      }
      return done(null, value);
    }),
  );
}

/** Whether `value` has objects or arrays more than `limit` levels deep (without recursing). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const member of Object.values(next.value)) {
      if (typeof member === 'object' && member !== null) pending.push({ value: member, depth });
    }
  }
  return false;
}
