import { principal } from '#auth';
import { AlertError, type AlertCommand } from '#alerts';

import { AlertAccessDeniedError, assertMayChangeAlert } from './alert-access.js';

const acknowledge: AlertCommand = {
  type: 'AcknowledgeAlert',
  data: { alertId: 'a-1', by: 'someone', note: null },
};
const raise: AlertCommand = {
  type: 'RaiseAlert',
  data: {
    alertId: 'a-1',
    kind: 'ACCOUNT_SILENT',
    severity: 'MEDIUM',
    accountId: 'acme',
    subject: null,
    title: 'Silent',
    detail: null,
    cause: 'evt-1',
  },
};

const code = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof AlertError || error instanceof AlertAccessDeniedError) return error.code;
    throw error;
  }
};

describe('who may change an alert', () => {
  it.each(['leader', 'admin'] as const)('lets a %s act on any alert', (role) => {
    const who = principal('p', [role], 'api-key');
    expect(code(() => assertMayChangeAlert(acknowledge, who, 'someone-else'))).toBeUndefined();
    expect(code(() => assertMayChangeAlert(raise, who, 'someone-else'))).toBeUndefined();
  });

  it("lets an account manager acknowledge and resolve their own accounts' alerts only", () => {
    const manager = principal('am-1', ['account_manager'], 'jwt');
    expect(code(() => assertMayChangeAlert(acknowledge, manager, 'am-1'))).toBeUndefined();
    expect(code(() => assertMayChangeAlert(acknowledge, manager, 'am-2'))).toBe('NOT_FOUND');
    expect(code(() => assertMayChangeAlert(acknowledge, manager, null))).toBe('NOT_FOUND');
    expect(code(() => assertMayChangeAlert(raise, manager, 'am-1'))).toBe('FORBIDDEN');
  });

  it('refuses integrations', () => {
    const integration = principal('crm', ['integration'], 'api-key');
    expect(code(() => assertMayChangeAlert(acknowledge, integration, 'am-1'))).toBe('FORBIDDEN');
  });
});
