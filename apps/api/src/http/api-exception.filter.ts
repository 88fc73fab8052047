import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
  type HttpServer,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { clientErrorOf, codeOfStatus } from './error-statuses.js';
import { isUnavailableDependency, UNAVAILABLE_MESSAGE } from './unavailable-dependency.js';
import { requestIdsOf } from './request-ids.js';

const logger = new Logger('Http');

/** What a request that failed inside the service is answered: nothing about the cause. */
export const INTERNAL_ERROR_MESSAGE = 'Internal error';

interface RequestLike {
  readonly method?: string;
  readonly url?: string;
  readonly headers?: Record<string, string | string[] | undefined>;
  readonly raw?: object;
}

/**
 * Every REST error in the API's shape, `{ statusCode, code, message, fields? }`:
 * - the API's own refusals as they were raised;
 * - refusals that come with a status only (a body that is not JSON or too large, an unknown
 *   route, a media type nobody parses, a rate limit) with the code of that status;
 * - anything else is a fault of the service: `500 { code: 'INTERNAL', message: 'Internal
 *   error', requestId }`, with the cause logged under the same request id and never sent.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(private readonly http: HttpServer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL answers its own errors, with the contract's codes: hand them back untouched.
    if (host.getType() !== 'http') throw exception;
    const { statusCode, body } = answerToError(exception, host.getArgByIndex<RequestLike>(0));
    const reply: unknown = host.getArgByIndex(1);
    if (this.http.isHeadersSent(reply)) {
      this.http.end(reply);
      return;
    }
    this.http.reply(reply, body, statusCode);
  }
}

/**
 * Fastify's own refusals (a body too large or not JSON, a rate limit) are raised before Nest's
 * handler runs, and were answered by Fastify's default error handler in its shape (with its
 * internal `FST_ERR_…` codes, and the message of any other error, internals included). Every route
 * of the application's own scope is given the same answers as the filter's instead; plugins that
 * answer errors themselves (GraphQL) keep theirs.
 */
export function useApiErrorAnswers(app: NestFastifyApplication): void {
  const root = app.getHttpAdapter().getInstance();
  root.addHook('onRoute', function (this: unknown, route) {
    if (this !== root || route.errorHandler !== undefined) return;
    route.errorHandler = (error, request, reply) => {
      const { statusCode, body } = answerToError(error, request);
      return reply.code(statusCode).send(body);
    };
  });
}

/** The status and body that answer `exception`, raised while serving `request`. */
export function answerToError(
  exception: unknown,
  request: RequestLike,
): { statusCode: number; body: object } {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    if (isDeliberateBody(response)) return { statusCode, body: response };
    if (statusCode < 500) {
      // Fastify's refusals arrive wrapped by Nest, with their own error as the cause.
      const code = clientErrorOf(exception.cause)?.code ?? codeOfStatus(statusCode);
      return { statusCode, body: { statusCode, code, message: messageOf(response, exception) } };
    }
  } else {
    const refusal = clientErrorOf(exception);
    if (refusal) return { statusCode: refusal.statusCode, body: refusal };
  }
  if (isUnavailableDependency(exception)) {
    const { requestId } = requestIdsOf(request);
    logger.warn({ msg: 'A dependency is unavailable', requestId, err: exception });
    return {
      statusCode: 503,
      body: { statusCode: 503, code: 'UNAVAILABLE', message: UNAVAILABLE_MESSAGE, requestId },
    };
  }
  return { statusCode: 500, body: internalError(exception, request) };
}

function internalError(exception: unknown, request: RequestLike): object {
  const { requestId } = requestIdsOf(request);
  logger.error({
    msg: 'Request failed',
    requestId,
    method: request.method,
    url: request.url,
    err: exception,
  });
  return { statusCode: 500, code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE, requestId };
}

/**
 * A body raised on purpose, sent as it is: the API's own (it has a `code`), or one that is not
 * an error message at all (a health report). Nest's stock `{ statusCode, message, error }` is not.
 */
function isDeliberateBody(response: unknown): response is object {
  if (typeof response !== 'object' || response === null) return false;
  return typeof (response as { code?: unknown }).code === 'string' || !('message' in response);
}

function messageOf(response: unknown, exception: HttpException): string {
  const message =
    typeof response === 'object' && response !== null
      ? (response as { message?: unknown }).message
      : response;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' && message !== '' ? message : exception.message;
}
