import { webhookPayload, type AlertRow, type NotificationRow } from './webhook-payload.js';

const alert: AlertRow = {
  alertId: 'alert-nmot-acme-1',
  accountId: 'acme',
  kind: 'NEGATIVE_MOMENT_OF_TRUTH',
  severity: 'HIGH',
  status: 'ACKNOWLEDGED',
  subject: 'tp-9',
  title: 'A bad moment of truth (CALL)',
  detail: 'Production down for two hours',
  cause: 'evt-touch-9',
  raisedAt: new Date('2025-03-01T10:00:00.000Z'),
  acknowledgedAt: new Date('2025-03-01T10:05:00.000Z'),
  acknowledgedBy: 'lead',
  acknowledgeNote: 'on it',
  resolvedAt: null,
  resolvedBy: null,
  resolutionKind: null,
  resolution: null,
  revision: 1n,
};

const row: NotificationRow = {
  seq: 42,
  eventId: '7d0c1d4e-2c1f-4b51-9d7a-1f5a0c3e9b11',
  type: 'ACKNOWLEDGED',
  recordedAt: new Date('2025-03-01T10:05:00.123Z'),
  alert,
  account: { name: 'Acme', ownerId: 'am-1', tier: 'STRATEGIC' },
};

describe('webhook payload', () => {
  it('carries the event id, type, position and the alert with its account, instants as ISO text', () => {
    expect(webhookPayload(row)).toEqual({
      id: '7d0c1d4e-2c1f-4b51-9d7a-1f5a0c3e9b11',
      type: 'ACKNOWLEDGED',
      seq: 42,
      recordedAt: '2025-03-01T10:05:00.123Z',
      alert: {
        id: 'alert-nmot-acme-1',
        kind: 'NEGATIVE_MOMENT_OF_TRUTH',
        severity: 'HIGH',
        status: 'ACKNOWLEDGED',
        accountId: 'acme',
        accountName: 'Acme',
        ownerId: 'am-1',
        tier: 'STRATEGIC',
        subject: 'tp-9',
        title: 'A bad moment of truth (CALL)',
        detail: 'Production down for two hours',
        raisedAt: '2025-03-01T10:00:00.000Z',
        acknowledgedAt: '2025-03-01T10:05:00.000Z',
        acknowledgedBy: 'lead',
        resolvedAt: null,
        resolution: null,
      },
    });
  });

  it('leaves out internal columns (cause, revision, notes), so the body is plain JSON', () => {
    const body = JSON.stringify(webhookPayload(row));
    expect(body).not.toContain('evt-touch-9');
    expect(body).not.toContain('on it');
    expect(JSON.parse(body)).toEqual(webhookPayload(row));
  });

  it('shows the account fields as null while the account is not in the read model', () => {
    expect(webhookPayload({ ...row, account: null }).alert).toMatchObject({
      accountId: 'acme',
      accountName: null,
      ownerId: null,
      tier: null,
    });
  });

  it('shows a resolved alert with its resolution', () => {
    const resolved = webhookPayload({
      ...row,
      type: 'RESOLVED',
      alert: {
        ...alert,
        status: 'RESOLVED',
        resolvedAt: new Date('2025-03-02T08:00:00.000Z'),
        resolvedBy: 'system',
        resolutionKind: 'AUTO',
        resolution: 'AUTO: a positive qualifying touch followed',
      },
    });
    expect(resolved).toMatchObject({
      type: 'RESOLVED',
      alert: {
        status: 'RESOLVED',
        resolvedAt: '2025-03-02T08:00:00.000Z',
        resolution: 'AUTO: a positive qualifying touch followed',
      },
    });
  });
});
