import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';

import type { JwtVerificationConfig } from '#config';

import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { Authenticator } from './authenticator.js';
import { JwtVerifier } from './jwt.verifier.js';

const SECRET = 'hs256-secret-for-tests-0123456789abcdef';
const secretKey = new TextEncoder().encode(SECRET);
const now = () => Math.floor(Date.now() / 1000);

const hs256 = (extra: Partial<JwtVerificationConfig> = {}): JwtVerificationConfig =>
  ({
    algorithm: 'HS256',
    secret: SECRET,
    issuer: undefined,
    audience: undefined,
    ...extra,
  }) as JwtVerificationConfig;

function sign(
  claims: JWTPayload,
  options: { key?: Uint8Array | CryptoKey; alg?: string; exp?: number | null } = {},
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? 'HS256' }).setIssuedAt();
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now() + 300);
  return jwt.sign(options.key ?? secretKey);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function expectUnauthenticated(verifier: JwtVerifier, token: string, message: string): Promise<void> {
  const error = await rejection(verifier.verify(token));
  expect(error).toBeInstanceOf(UnauthenticatedError);
  expect(error.message).toBe(message);
  expect(error.message).not.toContain(token);
}

const unsecured = (claims: JWTPayload) =>
  [
    Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    '',
  ].join('.');

describe('JwtVerifier with HS256', () => {
  const verifier = new JwtVerifier(hs256());

  it('accepts a valid token: sub is the id, unknown roles are ignored', async () => {
    const token = await sign({ sub: 'alice', roles: ['leader', 'superuser', 42, 'admin'] });
    expect(await verifier.verify(token)).toEqual({ id: 'alice', roles: ['leader', 'admin'], kind: 'jwt' });
  });

  it('refuses an expired token', async () => {
    await expectUnauthenticated(
      verifier,
      await sign({ sub: 'a', roles: ['admin'] }, { exp: now() - 10 }),
      'The token has expired',
    );
  });

  it('refuses a token without exp', async () => {
    await expectUnauthenticated(
      verifier,
      await sign({ sub: 'a', roles: ['admin'] }, { exp: null }),
      'The token\'s "exp" claim is missing or not accepted',
    );
  });

  it('refuses a token without sub, or with an empty one', async () => {
    await expectUnauthenticated(
      verifier,
      await sign({ roles: ['admin'] }),
      'The token\'s "sub" claim is missing or not accepted',
    );
    await expectUnauthenticated(
      verifier,
      await sign({ sub: ' ', roles: ['admin'] }),
      'The token\'s "sub" claim must be a non-empty string',
    );
  });

  it('refuses a bad signature', async () => {
    const token = await sign(
      { sub: 'a', roles: ['admin'] },
      { key: new TextEncoder().encode('another-secret-0123456789abcdef-xyz') },
    );
    await expectUnauthenticated(verifier, token, "The token's signature is not valid");
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign({ sub: 'a', roles: ['integration'] })).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'a', roles: ['admin'], exp: now() + 300 })).toString(
      'base64url',
    );
    await expectUnauthenticated(
      verifier,
      `${header}.${payload}.${signature}`,
      "The token's signature is not valid",
    );
  });

  it('refuses alg "none" and other algorithms', async () => {
    await expectUnauthenticated(
      verifier,
      unsecured({ sub: 'a', roles: ['admin'], exp: now() + 300 }),
      "The token's algorithm is not accepted",
    );
    const hs512 = await sign(
      { sub: 'a', roles: ['admin'] },
      { alg: 'HS512', key: new TextEncoder().encode(SECRET.repeat(2)) },
    );
    await expectUnauthenticated(verifier, hs512, "The token's algorithm is not accepted");
  });

  it('refuses garbage in JWT form', async () => {
    await expectUnauthenticated(verifier, 'a.b.c', 'The token is not a valid JWT');
  });

  it('answers 403-style ForbiddenError when no known role is carried', async () => {
    for (const claims of [
      { sub: 'a', roles: ['superuser'] },
      { sub: 'a', roles: [] },
      { sub: 'a' },
      { sub: 'a', roles: 'admin' },
    ]) {
      const error = await rejection(verifier.verify(await sign(claims)));
      expect(error).toBeInstanceOf(ForbiddenError);
      expect((error as ForbiddenError).code).toBe('FORBIDDEN');
    }
  });
});

describe('JwtVerifier with issuer and audience', () => {
  const verifier = new JwtVerifier(hs256({ issuer: 'https://id.example.com/', audience: 'lifecycle' }));
  const claims = { sub: 'a', roles: ['admin'], iss: 'https://id.example.com/', aud: 'lifecycle' };

  it('accepts the configured issuer and audience (audience among several)', async () => {
    expect((await verifier.verify(await sign(claims))).id).toBe('a');
    expect((await verifier.verify(await sign({ ...claims, aud: ['other', 'lifecycle'] }))).id).toBe('a');
  });

  it('refuses a wrong or missing issuer', async () => {
    const message = 'The token\'s "iss" claim is missing or not accepted';
    await expectUnauthenticated(
      verifier,
      await sign({ ...claims, iss: 'https://evil.example.com/' }),
      message,
    );
    await expectUnauthenticated(verifier, await sign({ ...claims, iss: undefined }), message);
  });

  it('refuses a wrong or missing audience', async () => {
    const message = 'The token\'s "aud" claim is missing or not accepted';
    await expectUnauthenticated(verifier, await sign({ ...claims, aud: 'billing' }), message);
    await expectUnauthenticated(verifier, await sign({ ...claims, aud: undefined }), message);
  });
});

describe.each(['RS256', 'ES256'] as const)('JwtVerifier with an %s public key', (algorithm) => {
  let verifier: JwtVerifier;
  let privateKey: CryptoKey;
  let otherPrivateKey: CryptoKey;
  let publicKeyPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair(algorithm);
    privateKey = pair.privateKey;
    otherPrivateKey = (await generateKeyPair(algorithm)).privateKey;
    publicKeyPem = await exportSPKI(pair.publicKey);
    verifier = new JwtVerifier({
      algorithm,
      publicKeyPem,
      issuer: undefined,
      audience: undefined,
    });
  });

  it('accepts a token signed with the private key', async () => {
    const token = await sign({ sub: 'bob', roles: ['account_manager'] }, { alg: algorithm, key: privateKey });
    expect(await verifier.verify(token)).toEqual({ id: 'bob', roles: ['account_manager'], kind: 'jwt' });
  });

  it('refuses a token signed with another key', async () => {
    const token = await sign({ sub: 'bob', roles: ['admin'] }, { alg: algorithm, key: otherPrivateKey });
    await expectUnauthenticated(verifier, token, "The token's signature is not valid");
  });

  it('refuses HS256, even keyed with the public key itself (algorithm confusion)', async () => {
    const token = await sign(
      { sub: 'bob', roles: ['admin'] },
      { key: new TextEncoder().encode(publicKeyPem) },
    );
    await expectUnauthenticated(verifier, token, "The token's algorithm is not accepted");
  });

  it('refuses an expired token', async () => {
    const token = await sign(
      { sub: 'bob', roles: ['admin'] },
      { alg: algorithm, key: privateKey, exp: now() - 1 },
    );
    await expectUnauthenticated(verifier, token, 'The token has expired');
  });
});

describe('Authenticator', () => {
  const API_KEY = 'integration-key-0123456789abcdefghij';
  const authenticator = new Authenticator({
    nodeEnv: 'production',
    auth: {
      apiKeys: [{ role: 'integration', principalId: 'crm-sync', secret: API_KEY }],
      jwt: hs256(),
    },
  });

  it('authenticates API keys from either header', async () => {
    const expected = { id: 'crm-sync', roles: ['integration'], kind: 'api-key' };
    expect(await authenticator.authenticate({ authorization: `Bearer ${API_KEY}` })).toEqual(expected);
    expect(await authenticator.authenticate({ 'x-api-key': API_KEY })).toEqual(expected);
    expect(authenticator.developmentKey).toBeUndefined();
  });

  it('verifies a bearer of three parts as a JWT (also from a connection_init payload)', async () => {
    const token = await sign({ sub: 'carol', roles: ['leader'] });
    expect(await authenticator.authenticate({ Authorization: `Bearer ${token}` })).toEqual({
      id: 'carol',
      roles: ['leader'],
      kind: 'jwt',
    });
  });

  it.each([
    [{}, 'missing', 'Credentials are required'],
    [{ authorization: 'Bearer wrong-key' }, 'invalid', 'The API key is not valid'],
    [{ 'x-api-key': `${API_KEY}x` }, 'invalid', 'The API key is not valid'],
    [{ authorization: `Basic ${API_KEY}` }, 'invalid', 'Authorization must have the form'],
  ])('refuses %j as %s', async (carrier, reason, message) => {
    const error = await rejection(authenticator.authenticate(carrier));
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as UnauthenticatedError).reason).toBe(reason);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(API_KEY);
  });

  it('refuses JWTs when no JWT key is configured', async () => {
    const keysOnly = new Authenticator({
      nodeEnv: 'test',
      auth: { apiKeys: [{ role: 'admin', principalId: 'x', secret: API_KEY }], jwt: undefined },
    });
    const error = await rejection(
      keysOnly.authenticate({ authorization: `Bearer ${await sign({ sub: 'a', roles: ['admin'] })}` }),
    );
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });

  it('authorizes by action', async () => {
    const integration = await authenticator.authenticate({ 'x-api-key': API_KEY });
    expect(() => authenticator.authorize(integration, 'ingest')).not.toThrow();
    expect(() => authenticator.authorize(integration, 'account:read')).toThrow(ForbiddenError);
  });
});
