// The HTTP protections over real HTTP: the per-credential rate limit, security headers, CORS
// (closed unless configured), the body-size limit, and errors that say nothing internal in
// production.
import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { Authenticator } from '#auth';

import { createApp, startApp } from '../../apps/api/src/app.factory.js';
import { tempDir } from '../support/helpers.js';

const INTEGRATION_KEY = 'integration-key-protection-e2e-0123456789';
const ADMIN_KEY = 'admin-key-protection-e2e-0123456789abcdefg';
const KEYS = `integration:crm-sync:${INTEGRATION_KEY},admin:ops:${ADMIN_KEY}`;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const JSON_TYPE = { 'content-type': 'application/json' };

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
  readonly text: string;
}

async function boot(env: Record<string, string>) {
  const dir = await tempDir('protection-e2e');
  let app: NestFastifyApplication | undefined;
  try {
    app = await createApp({
      env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_API_KEYS: KEYS, ...env, DATA_DIR: dir.path },
    });
    const url = await startApp(app, { port: 0, host: '127.0.0.1' });
    const booted = app;
    const send = async (path: string, init: RequestInit = {}): Promise<Answer> => {
      const response = await fetch(`${url}${path}`, init);
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, headers: response.headers, body, text };
    };
    return {
      app: booted,
      send,
      post: (path: string, json: unknown, headers: Record<string, string> = bearer(INTEGRATION_KEY)) =>
        send(path, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(json) }),
      graphql: (
        query: string,
        variables: unknown = {},
        headers: Record<string, string> = bearer(ADMIN_KEY),
      ) =>
        send('/graphql', {
          method: 'POST',
          headers: { ...JSON_TYPE, ...headers },
          body: JSON.stringify({ query, variables }),
        }),
      async close() {
        await booted.close();
        await dir.remove();
      },
    };
  } catch (error) {
    await app?.close();
    await dir.remove();
    throw error;
  }
}
type Booted = Awaited<ReturnType<typeof boot>>;

describe('the rate limit, per credential (RATE_LIMIT_PER_MINUTE)', () => {
  const LIMIT = 5;
  let api: Booted;

  beforeAll(async () => {
    api = await boot({ RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => api?.close());

  it('answers 429 in the API error shape, with Retry-After, once a credential has used its minute', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const answer = await api.post('/v1/accounts', { accounts: [] });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('x-ratelimit-limit')).toBe(String(LIMIT));
      expect(answer.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1 - i));
    }

    const refused = await api.post('/v1/accounts', { accounts: [] });

    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.stringContaining(`at most ${LIMIT} a minute`),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // GraphQL over HTTP counts against the same credential, and says so in GraphQL's shape.
    const graphql = await api.graphql('{ __typename }', {}, bearer(INTEGRATION_KEY));
    expect(graphql.status).toBe(429);
    expect(graphql.headers.get('retry-after')).not.toBeNull();
    expect(graphql.body.errors).toEqual([
      { message: expect.stringContaining('Too many requests'), extensions: { code: 'RATE_LIMITED' } },
    ]);
  });

  it('counts each credential on its own, and callers without one by address', async () => {
    // The integration key has used its minute (above); the admin key has its own.
    expect((await api.graphql('{ __typename }')).status).toBe(200);
    // An unknown key is no credential: it counts against the address, not against a key.
    for (let i = 0; i < LIMIT; i++) {
      expect(
        (await api.post('/v1/accounts', {}, bearer(`unknown-${i}-key-0123456789abcdefghijkl`))).status,
      ).toBe(401);
    }
    expect((await api.post('/v1/accounts', {}, {})).status).toBe(429);
    expect((await api.graphql('{ __typename }')).status).toBe(200);
  });

  it('never limits health probes', async () => {
    for (let i = 0; i < LIMIT * 3; i++) {
      const answer = await api.send('/health/live');
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
    }
  });
});

describe('security headers, CORS and the body-size limit', () => {
  const ORIGIN = 'https://app.example.com';
  let open: Booted;
  let closed: Booted;

  beforeAll(async () => {
    [open, closed] = await Promise.all([
      boot({ CORS_ORIGINS: `${ORIGIN},http://localhost:5173`, HTTP_BODY_LIMIT_BYTES: '4096' }),
      boot({}),
    ]);
  });
  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  it('sets the security headers on every kind of answer, without a content security policy', async () => {
    const answers = [
      await closed.post('/v1/accounts', { accounts: [] }),
      await closed.graphql('{ __typename }'),
      await closed.send('/health/live'),
      await closed.send('/nowhere'),
    ];
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
      expect(answer.headers.get('content-security-policy')).toBeNull();
      expect(answer.headers.get('x-powered-by')).toBeNull();
    }
    // The default limit applies (6000 a minute).
    expect(answers[0].headers.get('x-ratelimit-limit')).toBe('6000');
  });

  it('sends no CORS headers at all without CORS_ORIGINS', async () => {
    const simple = await closed.post(
      '/v1/accounts',
      { accounts: [] },
      { ...bearer(INTEGRATION_KEY), origin: ORIGIN },
    );
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await closed.send('/v1/accounts', {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('allows exactly the configured origins', async () => {
    const allowed = await open.graphql('{ __typename }', {}, { ...bearer(ADMIN_KEY), origin: ORIGIN });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('retry-after');
    const preflight = await open.send('/graphql', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await open.graphql(
      '{ __typename }',
      {},
      { ...bearer(ADMIN_KEY), origin: 'https://evil.example' },
    );
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 413 with a clear error to a body over HTTP_BODY_LIMIT_BYTES, on REST and GraphQL', async () => {
    const big = 'x'.repeat(5000);
    const rest = await open.post('/v1/accounts', { accounts: [{ id: 'a', name: big }] });
    expect(rest.status).toBe(413);
    expect(rest.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'Request body is too large',
    });
    const graphql = await open.graphql(
      'mutation($n: String!) { assignOwner(input: { accountId: "a", ownerId: $n }) { id } }',
      { n: big },
    );
    expect(graphql.status).toBe(413);
    expect(graphql.body.errors).toEqual([
      { message: 'Request body is too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } },
    ]);
  });
});

describe('internal errors in production', () => {
  const SECRET_DETAIL = 'connect ECONNREFUSED 10.1.2.3:5432 password=hunter2';
  let api: Booted;

  beforeAll(async () => {
    api = await boot({ NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(async () => api?.close());
  afterEach(() => jest.restoreAllMocks());

  it('answers REST with INTERNAL, "Internal error" and the request id, and logs the cause under that id', async () => {
    jest.spyOn(api.app.get(CommandBus), 'execute').mockRejectedValue(new Error(SECRET_DETAIL));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const answer = await api.post('/v1/accounts/acme/stage', { to: 'DISCOVERY' });

    expect(answer.status).toBe(500);
    expect(answer.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal error',
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(answer.text).not.toContain('hunter2');
    expect(answer.text).not.toMatch(/\bat \S+:\d+/);
    expect(answer.headers.get('x-request-id')).toBe(answer.body.requestId);
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: answer.body.requestId,
        err: expect.objectContaining({ message: SECRET_DETAIL }),
      }),
    );
    // The rate limit is off (0): no rate headers.
    expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
  });

  it('answers GraphQL with an INTERNAL error that says nothing more, and logs the cause', async () => {
    jest.spyOn(api.app.get(CommandBus), 'execute').mockRejectedValue(new Error(SECRET_DETAIL));
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const answer = await api.graphql(
      'mutation { changeStage(input: { accountId: "acme", to: DISCOVERY }) { id } }',
    );

    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        message: 'Internal error',
        path: ['changeStage'],
        extensions: { code: 'INTERNAL', requestId: answer.headers.get('x-request-id') },
      }),
    ]);
    expect(answer.text).not.toContain('hunter2');
    expect(answer.text).not.toContain('stack');
    expect(logged).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: answer.headers.get('x-request-id'),
        err: expect.objectContaining({ message: SECRET_DETAIL }),
      }),
    );
  });

  it('answers a failure while checking credentials the same way', async () => {
    jest.spyOn(api.app.get(Authenticator), 'authenticate').mockRejectedValue(new Error(SECRET_DETAIL));
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);

    const answer = await api.post('/v1/accounts', { accounts: [] });

    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ code: 'INTERNAL', message: 'Internal error' });
    expect(answer.text).not.toContain('hunter2');
  });
});
