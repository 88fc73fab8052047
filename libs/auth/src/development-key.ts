import { randomBytes } from 'node:crypto';

import type { AppConfig } from '#config';

/** The principal id a development key authenticates as. */
export const DEVELOPMENT_PRINCIPAL_ID = 'development';

/** 32 random bytes, base64url: 43 characters after the prefix, no dots (so never taken for a JWT). */
export function generateDevelopmentKey(): string {
  return `dev_${randomBytes(32).toString('base64url')}`;
}

/**
 * The development admin key for this run, or `undefined` when credentials are configured.
 * Production without credentials is refused here as well as by the configuration, so an
 * `AppConfig` built by hand cannot slip through.
 */
export function developmentKeyFor(
  config: Pick<AppConfig, 'nodeEnv' | 'auth'>,
  generate: () => string = generateDevelopmentKey,
): string | undefined {
  if (config.auth !== undefined) return undefined;
  if (config.nodeEnv === 'production') {
    throw new Error(
      'No credentials configured: set AUTH_API_KEYS, AUTH_JWT_SECRET or AUTH_JWT_PUBLIC_KEY ' +
        '(a development key is never made in production)',
    );
  }
  return generate();
}
