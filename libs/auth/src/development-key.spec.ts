import { jest } from '@jest/globals';

import { Authenticator } from './authenticator.js';
import { developmentKeyFor, generateDevelopmentKey } from './development-key.js';
import { looksLikeJwt } from './presented-credential.js';

const apiKeys = [{ role: 'admin' as const, principalId: 'ops', secret: 's'.repeat(32) }];

describe('the development key', () => {
  it('is random, at least 32 characters, and never taken for a JWT', () => {
    const a = generateDevelopmentKey();
    const b = generateDevelopmentKey();
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(a).toMatch(/^dev_[A-Za-z0-9_-]{43}$/);
    expect(looksLikeJwt(a)).toBe(false);
  });

  it('is made outside production when nothing is configured', () => {
    expect(developmentKeyFor({ nodeEnv: 'development', auth: undefined }, () => 'k')).toBe('k');
    expect(developmentKeyFor({ nodeEnv: 'test', auth: undefined }, () => 'k')).toBe('k');
  });

  it('is not made when any credential is configured', () => {
    const generate = jest.fn(() => 'k');
    expect(
      developmentKeyFor({ nodeEnv: 'development', auth: { apiKeys, jwt: undefined } }, generate),
    ).toBeUndefined();
    expect(
      developmentKeyFor(
        {
          nodeEnv: 'test',
          auth: {
            apiKeys: [],
            jwt: { algorithm: 'HS256', secret: 'x'.repeat(32), issuer: undefined, audience: undefined },
          },
        },
        generate,
      ),
    ).toBeUndefined();
    expect(generate).not.toHaveBeenCalled();
  });

  it('is refused in production: the start fails with a clear message', () => {
    const generate = jest.fn(() => 'k');
    expect(() => developmentKeyFor({ nodeEnv: 'production', auth: undefined }, generate)).toThrow(
      'No credentials configured: set AUTH_API_KEYS, AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY (a development key is never made in production)',
    );
    expect(() => new Authenticator({ nodeEnv: 'production', auth: undefined })).toThrow(
      'No credentials configured',
    );
    expect(generate).not.toHaveBeenCalled();
  });

  it('is made once per Authenticator and authenticates as a development admin', async () => {
    const generate = jest.fn(() => `dev_${'k'.repeat(43)}`);
    const authenticator = new Authenticator(
      { nodeEnv: 'development', auth: undefined },
      { generateDevelopmentKey: generate },
    );
    expect(authenticator.developmentKey).toBe(`dev_${'k'.repeat(43)}`);
    const one = await authenticator.authenticate({ authorization: `Bearer ${authenticator.developmentKey}` });
    const two = await authenticator.authenticate({ 'x-api-key': authenticator.developmentKey });
    expect(one).toEqual({ id: 'development', roles: ['admin'], kind: 'development' });
    expect(two).toEqual(one);
    expect(generate).toHaveBeenCalledTimes(1);
  });

  it('is absent from an Authenticator with configured credentials', () => {
    expect(
      new Authenticator({ nodeEnv: 'development', auth: { apiKeys, jwt: undefined } }).developmentKey,
    ).toBeUndefined();
  });
});
