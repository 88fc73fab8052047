import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';

import { Authenticator } from '#auth';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';

const INTEGRATION_KEY = 'integration-key-for-e2e-0123456789abcdef';
const LEADER_KEY = 'leader-key-for-e2e-0123456789abcdefghijkl';
const JWT_SECRET = 'jwt-secret-for-e2e-0123456789abcdefghijkl';

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function call(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : undefined,
  };
}

function token(
  claims: Record<string, unknown>,
  expiresAt = Math.floor(Date.now() / 1000) + 300,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('https://id.example.com/')
    .setAudience('customer-lifecycle')
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(JWT_SECRET));
}

describe('credentials over HTTP (API keys and JWT configured)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: NestFastifyApplication;
  let url: string;

  beforeAll(async () => {
    dir = await tempDir('auth-e2e');
    app = await createApp({
      env: {
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        LOG_LEVEL: 'silent',
        AUTH_API_KEYS: `integration:crm-sync:${INTEGRATION_KEY},leader:lead-1:${LEADER_KEY}`,
        AUTH_JWT_SECRET: JWT_SECRET,
        AUTH_JWT_ISSUER: 'https://id.example.com/',
        AUTH_JWT_AUDIENCE: 'customer-lifecycle',
      },
    });
    url = await startApp(app, { port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it('makes no development key when credentials are configured', () => {
    expect(app.get(Authenticator).developmentKey).toBeUndefined();
  });

  it('keeps the health routes public', async () => {
    expect((await call(`${url}/health/live`)).status).toBe(200);
    expect((await call(`${url}/health/ready`)).status).toBe(200);
  });

  it('answers 404 for unknown routes, credentials or not', async () => {
    expect((await call(`${url}/v1/nope`)).status).toBe(404);
  });

  it('answers 401 with a Bearer challenge without credentials', async () => {
    const answer = await call(`${url}/v1/whoami`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    expect(answer.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message:
        'Credentials are required: send "Authorization: Bearer <token or API key>" or "X-Api-Key: <API key>"',
    });
  });

  it.each([
    ['a wrong bearer key', { authorization: 'Bearer not-a-configured-key-0123456789abcdef' }],
    ['a wrong X-Api-Key', { 'x-api-key': 'not-a-configured-key-0123456789abcdef' }],
    ['a configured key with one character more', { 'x-api-key': `${INTEGRATION_KEY}0` }],
    ['another scheme', { authorization: `Basic ${INTEGRATION_KEY}` }],
  ])('answers 401 to %s, without echoing it', async (_what, headers) => {
    const answer = await call(`${url}/v1/whoami`, headers);
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    const presented = Object.values(headers)[0]!.replace(/^\w+ /, '');
    expect(answer.text).not.toContain(presented);
    expect(answer.text).not.toContain(INTEGRATION_KEY);
  });

  it('accepts an API key in X-Api-Key', async () => {
    const answer = await call(`${url}/v1/whoami`, { 'X-Api-Key': INTEGRATION_KEY });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: 'crm-sync', roles: ['integration'], kind: 'api-key' });
  });

  it('accepts an API key as a bearer token', async () => {
    const answer = await call(`${url}/v1/whoami`, { Authorization: `Bearer ${LEADER_KEY}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: 'lead-1', roles: ['leader'], kind: 'api-key' });
  });

  it('refuses both headers at once', async () => {
    const answer = await call(`${url}/v1/whoami`, {
      Authorization: `Bearer ${LEADER_KEY}`,
      'X-Api-Key': LEADER_KEY,
    });
    expect(answer.status).toBe(401);
    expect(answer.text).not.toContain(LEADER_KEY);
  });

  it('accepts a JWT', async () => {
    const jwt = await token({ sub: 'alice', roles: ['account_manager', 'unknown-role'] });
    const answer = await call(`${url}/v1/whoami`, { Authorization: `Bearer ${jwt}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: 'alice', roles: ['account_manager'], kind: 'jwt' });
  });

  it('answers 401 to an expired JWT', async () => {
    const jwt = await token({ sub: 'alice', roles: ['admin'] }, Math.floor(Date.now() / 1000) - 60);
    const answer = await call(`${url}/v1/whoami`, { Authorization: `Bearer ${jwt}` });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(answer.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: 'The token has expired',
    });
    expect(answer.text).not.toContain(jwt);
  });

  it('answers 401 to a JWT for another audience', async () => {
    const jwt = await new SignJWT({ sub: 'alice', roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://id.example.com/')
      .setAudience('billing')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JWT_SECRET));
    expect((await call(`${url}/v1/whoami`, { Authorization: `Bearer ${jwt}` })).status).toBe(401);
  });

  it('answers 403 FORBIDDEN to a valid JWT without a known role', async () => {
    const jwt = await token({ sub: 'alice', roles: ['superuser'] });
    const answer = await call(`${url}/v1/whoami`, { Authorization: `Bearer ${jwt}` });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });
});

describe('the development key (nothing configured, NODE_ENV=test)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let app: NestFastifyApplication;
  let url: string;
  let key: string;

  beforeAll(async () => {
    dir = await tempDir('auth-e2e-dev');
    app = await createApp({ env: { NODE_ENV: 'test', DATA_DIR: dir.path, LOG_LEVEL: 'silent' } });
    url = await startApp(app, { port: 0 });
    key = app.get(Authenticator).developmentKey!;
  });

  afterAll(async () => {
    await app?.close();
    await dir?.remove();
  });

  it('is made at start-up', () => {
    expect(key).toMatch(/^dev_[A-Za-z0-9_-]{43}$/);
  });

  it('authenticates as a development admin, in either header', async () => {
    const expected = { id: 'development', roles: ['admin'], kind: 'development' };
    expect((await call(`${url}/v1/whoami`, { Authorization: `Bearer ${key}` })).body).toEqual(expected);
    expect((await call(`${url}/v1/whoami`, { 'X-Api-Key': key })).body).toEqual(expected);
  });

  it('is the only credential accepted', async () => {
    expect((await call(`${url}/v1/whoami`)).status).toBe(401);
    expect((await call(`${url}/v1/whoami`, { 'X-Api-Key': `${key}x` })).status).toBe(401);
  });
});
