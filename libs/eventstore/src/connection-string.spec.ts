import { redact } from './connection-string.js';

describe('redact', () => {
  it('hides credentials in connection strings and leaves the rest', () => {
    expect(redact('esdb://admin:changeit@db.internal:2113?tls=true')).toBe(
      'esdb://***@db.internal:2113?tls=true',
    );
    expect(redact('esdb://127.0.0.1:2113?tls=false')).toBe('esdb://127.0.0.1:2113?tls=false');
  });
});
