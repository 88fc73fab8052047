/**
 * No usable credentials: missing, malformed, unknown or expired. Messages say what is wrong
 * with the credential, never what it was.
 */
export class UnauthenticatedError extends Error {
  readonly code = 'UNAUTHENTICATED';

  constructor(
    message: string,
    /** `missing` when nothing was presented, `invalid` when something was but did not verify. */
    readonly reason: 'missing' | 'invalid' = 'invalid',
  ) {
    super(message);
    this.name = 'UnauthenticatedError';
  }
}

/** Valid credentials that do not permit what was asked. */
export class ForbiddenError extends Error {
  readonly code = 'FORBIDDEN';

  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenError';
  }
}
