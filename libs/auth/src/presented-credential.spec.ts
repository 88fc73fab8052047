import { looksLikeJwt, readPresentedCredential } from './presented-credential.js';

describe('readPresentedCredential', () => {
  it('finds nothing in empty headers, blank values or a non-object', () => {
    expect(readPresentedCredential({})).toEqual({ kind: 'none' });
    expect(readPresentedCredential({ authorization: '  ', 'x-api-key': '' })).toEqual({ kind: 'none' });
    expect(readPresentedCredential(undefined)).toEqual({ kind: 'none' });
    expect(readPresentedCredential(null)).toEqual({ kind: 'none' });
  });

  it('reads an API key from X-Api-Key, whatever the case of the name', () => {
    expect(readPresentedCredential({ 'x-api-key': ' k ' })).toEqual({ kind: 'api-key', secret: 'k' });
    expect(readPresentedCredential({ 'X-Api-Key': 'k' })).toEqual({ kind: 'api-key', secret: 'k' });
  });

  it('reads a bearer API key or JWT from Authorization (HTTP headers or connection_init payload)', () => {
    expect(readPresentedCredential({ authorization: 'Bearer some-key' })).toEqual({
      kind: 'api-key',
      secret: 'some-key',
    });
    expect(readPresentedCredential({ Authorization: 'bearer a.b.c' })).toEqual({
      kind: 'jwt',
      token: 'a.b.c',
    });
    expect(readPresentedCredential({ authorization: 'BEARER  a.b.c ' })).toEqual({
      kind: 'jwt',
      token: 'a.b.c',
    });
  });

  it.each([
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['no token', { authorization: 'Bearer' }],
    ['two tokens', { authorization: 'Bearer a b' }],
    ['a non-text value', { authorization: ['Bearer a'] }],
    ['a repeated X-Api-Key', { 'x-api-key': ['a', 'b'] }],
    ['both headers', { authorization: 'Bearer a', 'x-api-key': 'b' }],
  ])('calls %s malformed, without repeating it', (_what, carrier) => {
    const result = readPresentedCredential(carrier);
    expect(result.kind).toBe('malformed');
    const problem = (result as { problem: string }).problem;
    expect(problem).not.toContain('dXNlcjpwYXNz');
  });

  it('takes three dot-separated parts for a JWT', () => {
    expect(looksLikeJwt('a.b.c')).toBe(true);
    expect(looksLikeJwt('a.b')).toBe(false);
    expect(looksLikeJwt('a.b.c.d')).toBe(false);
    expect(looksLikeJwt('dev_abc')).toBe(false);
  });
});
