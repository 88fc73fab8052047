import { ACTIONS, ROLE_ACTIONS, can, canAccessAccount, type Action } from './permissions.js';
import { principal } from './principal.js';
import { ROLES, type Role } from './role.js';

const EXPECTED: Record<Role, readonly Action[]> = {
  integration: ['ingest'],
  account_manager: ['account:read', 'account:write', 'alerts:read'],
  leader: ['account:read', 'alerts:read', 'alerts:subscribe', 'alerts:manage'],
  admin: [
    'ingest',
    'account:read',
    'account:write',
    'alerts:read',
    'alerts:subscribe',
    'alerts:manage',
    'operations',
  ],
};

describe('the permission matrix', () => {
  const cases = ROLES.flatMap((role) =>
    ACTIONS.map((action) => [role, action, EXPECTED[role].includes(action)] as const),
  );

  it('covers the four roles and seven actions', () => {
    expect(cases).toHaveLength(28);
    expect(Object.keys(ROLE_ACTIONS).sort()).toEqual([...ROLES].sort());
  });

  it.each(cases)('%s may %s: %s', (role, action, allowed) => {
    expect(can(principal('p', [role], 'api-key'), action)).toBe(allowed);
  });

  it('grants the union of several roles', () => {
    const both = principal('p', ['integration', 'leader'], 'jwt');
    expect(can(both, 'ingest')).toBe(true);
    expect(can(both, 'alerts:manage')).toBe(true);
    expect(can(both, 'account:write')).toBe(false);
    expect(can(both, 'operations')).toBe(false);
  });

  it('grants nothing without roles', () => {
    for (const action of ACTIONS) expect(can({ roles: [] }, action)).toBe(false);
  });
});

describe('canAccessAccount', () => {
  it.each([
    ['integration', 'am-1', false],
    ['integration', 'someone-else', false],
    ['account_manager', 'am-1', true],
    ['account_manager', 'someone-else', false],
    ['leader', 'am-1', true],
    ['leader', 'someone-else', true],
    ['admin', 'am-1', true],
    ['admin', 'someone-else', true],
  ] as const)('%s "am-1" and an account owned by %s: %s', (role, ownerId, allowed) => {
    expect(canAccessAccount(principal('am-1', [role], 'jwt'), ownerId)).toBe(allowed);
  });

  it('compares owner ids exactly', () => {
    const manager = principal('am-1', ['account_manager'], 'jwt');
    expect(canAccessAccount(manager, 'AM-1')).toBe(false);
    expect(canAccessAccount(manager, 'am-1 ')).toBe(false);
    expect(canAccessAccount(manager, '')).toBe(false);
  });
});
