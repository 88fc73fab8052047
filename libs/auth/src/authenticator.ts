import type { AppConfig } from '#config';

import { ApiKeyRegistry, type RegisteredApiKey } from './api-key.registry.js';
import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { DEVELOPMENT_PRINCIPAL_ID, developmentKeyFor, generateDevelopmentKey } from './development-key.js';
import { JwtVerifier } from './jwt.verifier.js';
import { can, type Action } from './permissions.js';
import { principal, type Principal } from './principal.js';
import { readPresentedCredential, type CredentialCarrier } from './presented-credential.js';

export interface AuthenticatorOptions {
  /** Makes the development key (tests pass their own). */
  readonly generateDevelopmentKey?: () => string;
}

/**
 * Turns presented credentials into a {@link Principal}, for every entry point: pass HTTP
 * headers, or a WebSocket `connection_init` payload. Knows nothing of Nest or HTTP.
 */
export class Authenticator {
  /**
   * The admin key made because no credential is configured (never in production), for this
   * process only; `undefined` otherwise.
   */
  readonly developmentKey: string | undefined;
  private readonly apiKeys: ApiKeyRegistry;
  private readonly jwt: JwtVerifier | undefined;

  constructor(config: Pick<AppConfig, 'nodeEnv' | 'auth'>, options: AuthenticatorOptions = {}) {
    this.developmentKey = developmentKeyFor(config, options.generateDevelopmentKey ?? generateDevelopmentKey);
    const keys: RegisteredApiKey[] = (config.auth?.apiKeys ?? []).map((key) => ({
      secret: key.secret,
      principal: principal(key.principalId, [key.role], 'api-key'),
    }));
    if (this.developmentKey !== undefined) {
      keys.push({
        secret: this.developmentKey,
        principal: principal(DEVELOPMENT_PRINCIPAL_ID, ['admin'], 'development'),
      });
    }
    this.apiKeys = new ApiKeyRegistry(keys);
    this.jwt = config.auth?.jwt && new JwtVerifier(config.auth.jwt);
  }

  /**
   * The caller, from `Authorization: Bearer <JWT or API key>` or `X-Api-Key: <API key>`.
   * Throws {@link UnauthenticatedError} (→ 401) or, for a valid JWT without a known role,
   * {@link ForbiddenError} (→ 403).
   */
  async authenticate(carrier: CredentialCarrier | null | undefined): Promise<Principal> {
    const presented = readPresentedCredential(carrier);
    switch (presented.kind) {
      case 'none':
        throw new UnauthenticatedError(
          'Credentials are required: send "Authorization: Bearer <token or API key>" or "X-Api-Key: <API key>"',
          'missing',
        );
      case 'malformed':
        throw new UnauthenticatedError(presented.problem);
      case 'api-key': {
        const found = this.apiKeys.lookup(presented.secret);
        if (found === undefined) throw new UnauthenticatedError('The API key is not valid');
        return found;
      }
      case 'jwt':
        if (this.jwt === undefined)
          throw new UnauthenticatedError('JWTs are not accepted: none is configured');
        return this.jwt.verify(presented.token);
      default: {
        const _exhaustive: never = presented;
        return _exhaustive;
      }
    }
  }

  /** Throws {@link ForbiddenError} unless the principal may perform `action`. */
  authorize(who: Principal, action: Action): void {
    if (!can(who, action)) {
      throw new ForbiddenError(`Not permitted: ${who.roles.join(', ')} may not perform "${action}"`);
    }
  }
}
