export { ApiKeyRegistry } from './api-key.registry.js';
export type { RegisteredApiKey } from './api-key.registry.js';
export { ForbiddenError, UnauthenticatedError } from './auth.errors.js';
export { Authenticator } from './authenticator.js';
export type { AuthenticatorOptions } from './authenticator.js';
export { DEVELOPMENT_PRINCIPAL_ID, developmentKeyFor, generateDevelopmentKey } from './development-key.js';
export { JwtVerifier } from './jwt.verifier.js';
export { ACTIONS, ROLE_ACTIONS, can, canAccessAccount, seesEveryAccount } from './permissions.js';
export type { Action } from './permissions.js';
export { principal } from './principal.js';
export type { Principal, PrincipalKind } from './principal.js';
export { looksLikeJwt, readPresentedCredential } from './presented-credential.js';
export type { CredentialCarrier, PresentedCredential } from './presented-credential.js';
export { ROLES, isRole } from './role.js';
export type { Role } from './role.js';
export {
  CurrentPrincipal,
  IS_PUBLIC,
  Public,
  REQUIRED_ACTION,
  RequireAction,
} from './nest/auth.decorators.js';
export { AuthGuard, toHttpException } from './nest/auth.guard.js';
export { AuthModule } from './nest/auth.module.js';
export { principalOf, requestOf } from './nest/request-principal.js';
export type { CredentialRequest } from './nest/request-principal.js';
export { WhoAmIController } from './nest/whoami.controller.js';
