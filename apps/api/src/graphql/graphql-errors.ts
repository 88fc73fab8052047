import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

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
 * in one error; they are unwrapped into one error each. Unexpected errors say nothing internal.
 */
export function formatGraphQLErrors(errors: readonly unknown[]): GraphQLFormattedError[] {
  return errors.flatMap((raw) => {
    const error = raw as ErrorLike;
    const wrapped = (error.originalError as ErrorLike | undefined)?.errors;
    if (Array.isArray(wrapped)) return formatGraphQLErrors(wrapped);
    return [formatOne(error)];
  });
}

function formatOne(error: ErrorLike): GraphQLFormattedError {
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  const original = error.originalError ?? error;
  if (isHttpException(original)) {
    const response = original.getResponse() as
      { code?: string; message?: unknown; fields?: unknown } | string;
    const body = typeof response === 'object' ? response : {};
    const code = body.code ?? CODE_OF_STATUS[original.getStatus()] ?? 'INTERNAL_SERVER_ERROR';
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
    const extensions = (original as ErrorLike).extensions ?? error.extensions;
    return {
      message: (original as ErrorLike).message ?? error.message ?? 'Invalid query',
      ...where,
      extensions: { code: 'BAD_USER_INPUT', ...extensions },
    };
  }
  // The caller learns nothing internal; the log keeps the cause.
  logger.error({ msg: 'GraphQL resolver failed', path: error.path, err: original });
  return { message: 'Internal error', ...where, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
