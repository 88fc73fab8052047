import { principal } from '#auth';
import { evolve, initialAccountState, type AccountCommand, type AccountState } from '#lifecycle';

import { AccountAccessDeniedError } from './account-access.error.js';
import { assertMayWrite } from './account-access.policy.js';

const opened = (ownerId: string): AccountState =>
  evolve(initialAccountState, {
    type: 'AccountOpened',
    data: {
      accountId: 'acme',
      name: 'Acme',
      tier: 'SMB',
      ownerId,
      stage: 'PROSPECT',
      openedAt: '2026-01-01T00:00:00.000Z',
      cadenceDays: null,
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
  });
const open = (ownerId: string): AccountCommand => ({
  type: 'OpenAccount',
  data: { id: 'acme', name: 'Acme', tier: 'SMB', ownerId },
});
const setCadence: AccountCommand = { type: 'SetCadence', data: { accountId: 'acme', cadenceDays: 10 } };

const jane = principal('am-jane', ['account_manager'], 'jwt');
const outcome = (command: AccountCommand, state: AccountState, who = jane) => {
  try {
    assertMayWrite(command, state, who);
    return 'allowed';
  } catch (error) {
    if (error instanceof AccountAccessDeniedError) return 'FORBIDDEN';
    return (error as { code: string }).code;
  }
};

describe('assertMayWrite', () => {
  it('lets integrations and admins write any account', () => {
    for (const who of [
      principal('crm', ['integration'], 'api-key'),
      principal('root', ['admin'], 'api-key'),
    ]) {
      expect(outcome(setCadence, opened('am-bob'), who)).toBe('allowed');
      expect(outcome(open('am-bob'), null, who)).toBe('allowed');
    }
  });

  it('lets an account manager open accounts for themselves only', () => {
    expect(outcome(open('am-jane'), null)).toBe('allowed');
    expect(outcome(open('am-bob'), null)).toBe('FORBIDDEN');
  });

  it("lets an account manager write their own accounts and answers another owner's as missing", () => {
    expect(outcome(setCadence, opened('am-jane'))).toBe('allowed');
    expect(outcome(setCadence, opened('am-bob'))).toBe('ACCOUNT_NOT_FOUND');
    // A missing account is left to the rules, which say it does not exist.
    expect(outcome(setCadence, null)).toBe('allowed');
  });

  it('refuses roles that may not write', () => {
    expect(outcome(setCadence, opened('am-jane'), principal('boss', ['leader'], 'jwt'))).toBe('FORBIDDEN');
  });
});
