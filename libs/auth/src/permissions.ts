import type { Principal } from './principal.js';
import type { Role } from './role.js';

/**
 * What a caller may do. Every entry point (REST, GraphQL, WebSocket) asks here and nowhere
 * else, so the rules of docs/api.md "Credentials and roles" live in this one file.
 */
export const ACTIONS = [
  'ingest',
  'account:read',
  'account:write',
  'alerts:read',
  'alerts:subscribe',
  'alerts:manage',
  'operations',
] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * The actions each role grants. For an account manager `account:*` and `alerts:read` are
 * limited to the accounts they own: check {@link canAccessAccount} for each account too.
 */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = Object.freeze({
  // Ingestion through REST and the ingestion mutations (accounts, touchpoints, commitments).
  integration: Object.freeze(['ingest'] as const),
  account_manager: Object.freeze(['account:read', 'account:write', 'alerts:read'] as const),
  leader: Object.freeze(['account:read', 'alerts:read', 'alerts:subscribe', 'alerts:manage'] as const),
  admin: ACTIONS,
});

/** Roles whose account actions reach every account, not only the ones they own. */
const SEES_EVERY_ACCOUNT: readonly Role[] = ['leader', 'admin'];

/** Whether any of the principal's roles grants `action`. */
export function can(principal: Pick<Principal, 'roles'>, action: Action): boolean {
  return principal.roles.some((role) => ROLE_ACTIONS[role]?.includes(action) ?? false);
}

/** Leaders and admins see every account; anyone else only the accounts they own. */
export function seesEveryAccount(principal: Pick<Principal, 'roles'>): boolean {
  return principal.roles.some((role) => SEES_EVERY_ACCOUNT.includes(role));
}

/**
 * Whether the principal may see (and, with `account:write`, change) the account owned by
 * `ownerId`: leaders and admins every account, an account manager only their own.
 */
export function canAccessAccount(principal: Pick<Principal, 'id' | 'roles'>, ownerId: string): boolean {
  return principal.roles.some(
    (role) => SEES_EVERY_ACCOUNT.includes(role) || (role === 'account_manager' && ownerId === principal.id),
  );
}
