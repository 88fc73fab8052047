import { createHash } from 'node:crypto';

import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import {
  ApiKeyRegistry,
  Authenticator,
  DEVELOPMENT_PRINCIPAL_ID,
  principal,
  readPresentedCredential,
  type CredentialCarrier,
} from '#auth';
import { AppConfig } from '#config';

const MINUTE_MS = 60_000;

/** Probes and scrapes are never limited: an orchestrator must always be able to ask. */
const UNLIMITED_PATHS = [/^\/health\//, /^\/metrics(\?|$)/];
const UNLIMITED = 'unlimited';

/** Headers a browser on an allowed origin may send, and read in the answer. */
const CORS_REQUEST_HEADERS = ['authorization', 'content-type', 'x-api-key', 'x-correlation-id'];
const CORS_EXPOSED_HEADERS = [
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-request-id',
  'x-correlation-id',
];

/** 429: the caller sent more than its share; it says how many and when to try again. */
export class RateLimitedError extends Error {
  readonly statusCode = 429;
  readonly code = 'RATE_LIMITED';
}

/**
 * Security headers on every answer, CORS for the configured origins only, and the per-credential
 * rate limit. Registered before the routes exist (Nest adds them at `init()`), so every route,
 * GraphQL's included, gets them.
 */
export async function useHttpProtection(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  // A JSON API serves no pages to protect with a content security policy; the OpenAPI page at
  // /docs needs its scripts. Everything else helmet sets applies (nosniff, frame and referrer
  // policies, HSTS, no X-Powered-By).
  await app.register(helmet, { global: true, contentSecurityPolicy: false });
  // No origin configured: no CORS headers at all, so browsers on other sites cannot read answers.
  if (config.corsOrigins.length > 0) {
    await app.register(cors, {
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
    });
  }
  if (config.rateLimitPerMinute > 0) {
    const keys = new RateLimitKeys(config, app.get(Authenticator).developmentKey);
    const max = config.rateLimitPerMinute;
    await app.register(rateLimit, {
      global: true,
      max,
      timeWindow: MINUTE_MS,
      keyGenerator: (request) => keys.keyOf(request),
      allowList: (_request, key) => key === UNLIMITED,
      errorResponseBuilder: (_request, context) =>
        new RateLimitedError(
          `Too many requests: at most ${max} a minute for each credential (or, without one, each ` +
            `address); retry in ${context.after}`,
        ),
    });
  }
}

/**
 * What a request is counted against, found without authenticating it (the guard does that, once):
 * - a configured API key: its principal (`principal:<id>`), one lookup of its digest;
 * - a JWT: the digest of the token (`jwt:<sha256>`; verifying it here would verify it twice);
 * - anything else (no credential, an unknown key, a malformed header): the client address.
 * Raw credentials never become keys: the store holds ids, digests and addresses only.
 */
export class RateLimitKeys {
  private readonly apiKeys: ApiKeyRegistry;

  constructor(config: Pick<AppConfig, 'auth'>, developmentKey: string | undefined) {
    const keys = (config.auth?.apiKeys ?? []).map((key) => ({
      secret: key.secret,
      principal: principal(key.principalId, [key.role], 'api-key'),
    }));
    if (developmentKey !== undefined) {
      keys.push({
        secret: developmentKey,
        principal: principal(DEVELOPMENT_PRINCIPAL_ID, ['admin'], 'development'),
      });
    }
    this.apiKeys = new ApiKeyRegistry(keys);
  }

  keyOf(request: { readonly url: string; readonly ip: string; readonly headers: CredentialCarrier }): string {
    if (UNLIMITED_PATHS.some((path) => path.test(request.url))) return UNLIMITED;
    const presented = readPresentedCredential(request.headers);
    if (presented.kind === 'api-key') {
      const known = this.apiKeys.lookup(presented.secret);
      if (known !== undefined) return `principal:${known.id}`;
    }
    if (presented.kind === 'jwt') return `jwt:${createHash('sha256').update(presented.token).digest('hex')}`;
    return `ip:${request.ip}`;
  }
}
