import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { isUnavailableDependency, UNAVAILABLE_MESSAGE } from '../http/unavailable-dependency.js';
import { clientErrorOf } from '../http/error-statuses.js';

const logger = new Logger('GraphQL');

/** HTTP statuses the API raises, as the contract's `extensions.code`. */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
};

interface ErrorLike {
  message?: string;
  locations?: GraphQLFormattedError['locations'];
  path?: GraphQLFormattedError['path'];
  extensions?: Record<string, unknown>;
  originalError?: unknown;
  errors?: unknown[];
}

interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): unknown;
  message: string;
}

const isHttpException = (e: unknown): e is HttpExceptionLike =>
  typeof (e as HttpExceptionLike)?.getStatus === 'function' &&
  typeof (e as HttpExceptionLike)?.getResponse === 'function';

/**
 * Gives every error the contract's `extensions.code` (and `extensions.fields` for bad input):
 * the one place GraphQL errors are mapped. Mercurius hands query-validation failures wrapped
 * in one error; they are unwrapped into one error each. Unexpected errors say nothing internal:
 * `{ message: 'Internal error', extensions: { code: 'INTERNAL', requestId } }`, the cause logged
 * under the same request id.
 */
export function formatGraphQLErrors(
  errors: readonly unknown[],
  requestId?: string,
  refusalCode?: string,
): GraphQLFormattedError[] {
  return errors.flatMap((raw) => {
    const error = raw as ErrorLike;
    const wrapped = (error.originalError as ErrorLike | undefined)?.errors;
    // The wrapper's status says what kind of refusal its errors are (400: bad input; 405: a
    // mutation sent with GET).
    const code = clientErrorOf(error.originalError)?.code ?? refusalCode;
    if (Array.isArray(wrapped)) return formatGraphQLErrors(wrapped, requestId, code);
    return [formatOne(error, requestId, refusalCode)];
  });
}

function formatOne(
  error: ErrorLike,
  requestId: string | undefined,
  refusalCode = 'BAD_USER_INPUT',
): GraphQLFormattedError {
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  const original = error.originalError ?? error;
  if (isHttpException(original)) {
    const response = original.getResponse() as
      { code?: string; message?: unknown; fields?: unknown } | string;
    const body = typeof response === 'object' ? response : {};
    const code = body.code ?? CODE_OF_STATUS[original.getStatus()] ?? 'INTERNAL';
    const message = typeof body.message === 'string' ? body.message : original.message;
    return { message, ...where, extensions: { code, ...(body.fields ? { fields: body.fields } : {}) } };
  }
  const code = (original as { code?: unknown }).code;
  if (code === 'CONFLICT') return { message: error.message ?? 'Conflict', ...where, extensions: { code } };
  const ownGraphQLError =
    original instanceof GraphQLError &&
    (original.originalError === undefined || original.originalError === null);
  if (error.originalError === undefined || error.originalError === error || ownGraphQLError) {
    // GraphQL's own errors (an unknown field, a wrong argument type, too deep) are the caller's input.
    // The outer message is the one that says where ("Variable "$input" got invalid value … at
    // "input.cadenceDays"; …"): the original only says what.
    const extensions = (original as ErrorLike).extensions ?? error.extensions;
    const message = error.message || (original as ErrorLike).message || 'Invalid query';
    const fields = variableFieldsOf(message);
    return {
      message,
      ...where,
      extensions: { code: refusalCode, ...(fields ? { fields } : {}), ...extensions },
    };
  }
  // A request refused before it ran (a body that is not JSON or too large, a rate limit): the
  // caller's, said as it was, with the API's code rather than the library's.
  const refusal = clientErrorOf(original);
  if (refusal) return { message: refusal.message, ...where, extensions: { code: refusal.code } };
  if (isUnavailableDependency(original)) {
    logger.warn({ msg: 'A dependency is unavailable', requestId, path: error.path, err: original });
    return {
      message: UNAVAILABLE_MESSAGE,
      ...where,
      extensions: { code: 'UNAVAILABLE', ...(requestId ? { requestId } : {}) },
    };
  }
  // The caller learns nothing internal; the log keeps the cause.
  logger.error({ msg: 'GraphQL request failed', requestId, path: error.path, err: original });
  return {
    message: 'Internal error',
    ...where,
    extensions: { code: 'INTERNAL', ...(requestId ? { requestId } : {}) },
  };
}

const VARIABLE_NOT_PROVIDED = /^Variable "\$([_A-Za-z]\w*)" of required type "[^"]*" was not provided\.$/;
const VARIABLE_INVALID =
  /^Variable "\$([_A-Za-z]\w*)" got invalid value [\s\S]*?(?: at "([\w.[\]]+)")?; ([\s\S]*)$/;
const INNER_FIELD =
  /^Field "([_A-Za-z]\w*)" (?:of required type "[^"]*" was not provided|is not defined by type "[^"]*")/;

/**
 * The bad field of a variable GraphQL refused before anything ran, as the contract's
 * `fields: [{ path, message }]`: `input.cadenceDays` from `at "input.cadenceDays"`, plus the
 * member named by "Field "name" of required type … was not provided". `undefined` for others.
 */
function variableFieldsOf(message: string): { path: string; message: string }[] | undefined {
  const missing = VARIABLE_NOT_PROVIDED.exec(message);
  if (missing) return [{ path: missing[1], message: 'is required' }];
  const invalid = VARIABLE_INVALID.exec(message);
  if (!invalid) return undefined;
  const [, variable, at, problem] = invalid;
  const inner = INNER_FIELD.exec(problem);
  const path = [at ?? variable, inner?.[1]].filter(Boolean).join('.');
  return [{ path, message: problem }];
}
