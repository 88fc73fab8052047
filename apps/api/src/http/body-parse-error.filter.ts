import { BadRequestException, Catch, HttpException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';

import { UnparsableBodyError } from './json-body.parser.js';

/**
 * Answers a body that could not be parsed like any other bad input, `{ statusCode: 400, code:
 * 'BAD_USER_INPUT', message }` (Nest alone would answer 500 for the parser's error). Everything
 * else gets Nest's default handling.
 */
@Catch()
export class BodyParseErrorFilter extends BaseExceptionFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL answers its own errors, with the contract's codes: hand them back untouched.
    if (host.getType() !== 'http') throw exception;
    const error = exception instanceof HttpException ? exception.cause : exception;
    if (error instanceof UnparsableBodyError) {
      const body = { statusCode: 400, code: error.code, message: error.message };
      return super.catch(new BadRequestException(body), host);
    }
    return super.catch(exception, host);
  }
}
