import { HttpException } from '@nestjs/common';

import type { ItemError } from '#account-commands';

/** Every refusal code and its HTTP status: the one place REST maps them. */
const STATUS_OF: Readonly<Record<string, number>> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  COMMITMENT_NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_CONFLICT: 409,
  ACCOUNT_EXITED: 409,
  INVALID_STATE: 409,
  CONFLICT: 409,
  UNAVAILABLE: 503,
};

export function httpStatusOf(code: string): number {
  return STATUS_OF[code] ?? 500;
}

/** The code of a refusal that came with a status only (from Fastify, a plugin or Nest). */
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_USER_INPUT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  406: 'NOT_ACCEPTABLE',
  409: 'CONFLICT',
  411: 'LENGTH_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  503: 'UNAVAILABLE',
};

const API_CODES = new Set(Object.values(CODE_OF_STATUS));

export function codeOfStatus(status: number): string {
  return CODE_OF_STATUS[status] ?? (status < 500 ? 'BAD_REQUEST' : 'INTERNAL');
}

/** Fastify's refusals whose own message says what is wrong but not what would be right. */
const CLEARER_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported Media Type: send the body as application/json',
};

/** A caller's mistake that arrives as an error with a 4xx `statusCode` (Fastify's, a plugin's, ours). */
export interface ClientError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

/**
 * `error` as a client error when it carries a 4xx `statusCode` and a message, with its own code
 * when it is one of the API's, else the code of its status: codes such as Fastify's `FST_ERR_…`
 * name a library's internals, not the rule the caller broke.
 */
export function clientErrorOf(error: unknown): ClientError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return undefined;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  const ownCode = typeof code === 'string' && (Object.hasOwn(STATUS_OF, code) || API_CODES.has(code));
  const clearer = typeof code === 'string' ? CLEARER_MESSAGES[code] : undefined;
  return { statusCode, code: ownCode ? code : codeOfStatus(statusCode), message: clearer ?? message };
}

/** A refused single operation as an HTTP error: `{ statusCode, code, message, fields? }`. */
export function itemErrorException(error: ItemError): HttpException {
  const statusCode = httpStatusOf(error.code);
  return new HttpException(
    {
      statusCode,
      code: error.code,
      message: error.message,
      ...(error.fields ? { fields: error.fields } : {}),
    },
    statusCode,
  );
}
