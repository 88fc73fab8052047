import { AUTH_ROLES, type AuthRole } from '#config';

/** The four roles, as configured in AUTH_API_KEYS and carried in a JWT's `roles` claim. */
export const ROLES = AUTH_ROLES;
export type Role = AuthRole;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
