import { DomainError, DomainErrorCode, isDomainError, PUBLIC_ERROR_CODE } from './domain-error.js';

describe('DomainError', () => {
  it('maps every code to a code of the public contract', () => {
    const contract = [
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'INVALID_TRANSITION',
      'IDEMPOTENCY_CONFLICT',
      'CONFLICT',
    ];
    for (const code of Object.values(DomainErrorCode)) expect(contract).toContain(PUBLIC_ERROR_CODE[code]);
  });

  it('lists every bad field in BAD_USER_INPUT', () => {
    const error = DomainError.badUserInput([
      { path: 'name', message: 'is required' },
      { path: 'tier', message: 'must be one of A, B' },
    ]);
    expect(isDomainError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.fields.map((field) => field.path)).toEqual(['name', 'tier']);
    expect(error.message).toBe('Invalid input: name: is required; tier: must be one of A, B');
  });
});
