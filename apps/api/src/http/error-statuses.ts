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
