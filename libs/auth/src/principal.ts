import type { Role } from './role.js';

/** Where a principal's identity came from. */
export type PrincipalKind = 'api-key' | 'jwt' | 'development' | 'system';

/** Who is calling, as established by {@link Authenticator.authenticate}. Never empty of roles. */
export interface Principal {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly kind: PrincipalKind;
}

export function principal(id: string, roles: readonly Role[], kind: PrincipalKind): Principal {
  return Object.freeze({ id, roles: Object.freeze([...new Set(roles)]), kind });
}
