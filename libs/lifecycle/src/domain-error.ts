/**
 * Every way a command can be refused, with a stable code. The API layer maps `code` to the
 * contract's `extensions.code` through {@link PUBLIC_ERROR_CODE}; nothing else should.
 *
 * | code                  | when                                                                 | public code          |
 * |-----------------------|----------------------------------------------------------------------|----------------------|
 * | BAD_USER_INPUT        | one or more fields break a rule; `fields` lists every one of them     | BAD_USER_INPUT       |
 * | ACCOUNT_NOT_FOUND     | a command other than OpenAccount on an account that was never opened  | NOT_FOUND            |
 * | COMMITMENT_NOT_FOUND  | a commitment command naming a commitment the account does not have    | NOT_FOUND            |
 * | INVALID_TRANSITION    | a stage change the transition table does not allow                    | INVALID_TRANSITION   |
 * | IDEMPOTENCY_CONFLICT  | an account, touchpoint or commitment id reused with different content | IDEMPOTENCY_CONFLICT |
 * | ACCOUNT_EXITED        | a commitment made on a LOST or CHURNED account                        | CONFLICT             |
 * | INVALID_STATE         | a commitment command its status forbids (e.g. fulfilling a cancelled) | CONFLICT             |
 */
export const DomainErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  ACCOUNT_NOT_FOUND: 'ACCOUNT_NOT_FOUND',
  COMMITMENT_NOT_FOUND: 'COMMITMENT_NOT_FOUND',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  ACCOUNT_EXITED: 'ACCOUNT_EXITED',
  INVALID_STATE: 'INVALID_STATE',
} as const;
export type DomainErrorCode = (typeof DomainErrorCode)[keyof typeof DomainErrorCode];

/** The codes of the public contract (`extensions.code`). */
export type PublicErrorCode =
  'BAD_USER_INPUT' | 'NOT_FOUND' | 'INVALID_TRANSITION' | 'IDEMPOTENCY_CONFLICT' | 'CONFLICT';

export const PUBLIC_ERROR_CODE: Readonly<Record<DomainErrorCode, PublicErrorCode>> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  ACCOUNT_NOT_FOUND: 'NOT_FOUND',
  COMMITMENT_NOT_FOUND: 'NOT_FOUND',
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_CONFLICT',
  ACCOUNT_EXITED: 'CONFLICT',
  INVALID_STATE: 'CONFLICT',
};

/** One bad input field; `path` is the input field's name (`participants.3` for an item). */
export type FieldError = { readonly path: string; readonly message: string };

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Every bad field, for BAD_USER_INPUT; empty otherwise. */
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static badUserInput(fields: readonly FieldError[]): DomainError {
    const list = fields.map((field) => `${field.path}: ${field.message}`).join('; ');
    return new DomainError(DomainErrorCode.BAD_USER_INPUT, `Invalid input: ${list}`, fields);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
