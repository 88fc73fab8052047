import { Global, Logger, Module } from '@nestjs/common';

import { AppConfig } from '#config';

import { Authenticator } from '../authenticator.js';

import { AuthGuard } from './auth.guard.js';

function createAuthenticator(config: AppConfig): Authenticator {
  const authenticator = new Authenticator(config);
  if (authenticator.developmentKey !== undefined) {
    // Printed once, at start-up, so a developer can call the API right away.
    new Logger('Auth').warn({
      msg:
        'DEVELOPMENT KEY: no credentials are configured (AUTH_API_KEYS, AUTH_JWT_SECRET, AUTH_JWT_PUBLIC_KEY), ' +
        'so this admin key was made for this process only; send it as "Authorization: Bearer <key>" or ' +
        `"X-Api-Key: <key>". It is never made in production. Key: ${authenticator.developmentKey}`,
      developmentKey: authenticator.developmentKey,
    });
  }
  return authenticator;
}

/**
 * Provides the {@link Authenticator} (one per application, so one development key) and the
 * {@link AuthGuard}. Global, so every entry point (HTTP guard, WebSocket connection_init) uses the
 * same one. Needs the global `AppConfig`.
 */
@Global()
@Module({
  providers: [{ provide: Authenticator, inject: [AppConfig], useFactory: createAuthenticator }, AuthGuard],
  exports: [Authenticator, AuthGuard],
})
export class AuthModule {}
