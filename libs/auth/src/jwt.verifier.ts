import { errors, importSPKI, jwtVerify, type CryptoKey, type JWTVerifyOptions } from 'jose';

import type { JwtVerificationConfig } from '#config';

import { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
import { principal, type Principal } from './principal.js';
import { isRole } from './role.js';

/**
 * Verifies bearer JWTs from the organisation's identity provider with `jose`: the signature
 * with the one configured key and only its algorithm (so neither `none` nor an HS256 token
 * signed with the public key passes), `exp` required and enforced, `iss`/`aud` when
 * configured. `sub` is the principal id; `roles` keeps the known roles only.
 */
export class JwtVerifier {
  private readonly key: Promise<Uint8Array | CryptoKey>;
  private readonly options: JWTVerifyOptions;

  constructor(config: JwtVerificationConfig) {
    this.key =
      config.algorithm === 'HS256'
        ? Promise.resolve(new TextEncoder().encode(config.secret))
        : importSPKI(config.publicKeyPem, config.algorithm);
    this.options = {
      algorithms: [config.algorithm],
      requiredClaims: ['exp', 'sub'],
      ...(config.issuer !== undefined && { issuer: config.issuer }),
      ...(config.audience !== undefined && { audience: config.audience }),
    };
  }

  /** The principal the token names; throws {@link UnauthenticatedError} or {@link ForbiddenError}. */
  async verify(token: string): Promise<Principal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.key, this.options));
    } catch (error) {
      throw new UnauthenticatedError(describe(error));
    }
    const { sub, roles } = payload;
    if (typeof sub !== 'string' || sub.trim() === '') {
      throw new UnauthenticatedError('The token\'s "sub" claim must be a non-empty string');
    }
    const known = Array.isArray(roles) ? roles.filter(isRole) : [];
    if (known.length === 0) {
      throw new ForbiddenError(
        'The token carries no known role: its "roles" claim must list integration, account_manager, leader or admin',
      );
    }
    return principal(sub, known, 'jwt');
  }
}

/** What is wrong with the token, in words that never include the token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `The token's "${error.claim}" claim is missing or not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid";
  return 'The token is not a valid JWT';
}
