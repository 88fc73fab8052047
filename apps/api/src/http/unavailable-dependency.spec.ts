import { isUnavailableDependency } from './unavailable-dependency.js';

describe('isUnavailableDependency', () => {
  it('recognises refused, lost and timed-out connections to PostgreSQL and the event store', () => {
    expect(
      isUnavailableDependency(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(isUnavailableDependency(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailableDependency(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isUnavailableDependency(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ).toBe(true);
    expect(
      isUnavailableDependency(
        Object.assign(new Error('14 UNAVAILABLE: No connection established'), { type: 'unavailable' }),
      ),
    ).toBe(true);
    expect(isUnavailableDependency(new Error('query failed', { cause: { code: 'ECONNRESET' } }))).toBe(true);
  });

  it('leaves the service’s own faults and the caller’s mistakes alone', () => {
    expect(isUnavailableDependency(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    expect(isUnavailableDependency(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(
      false,
    );
    expect(isUnavailableDependency(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isUnavailableDependency(undefined)).toBe(false);
    expect(isUnavailableDependency('ECONNREFUSED')).toBe(false);
  });
});
