import type { AlertEvent } from './alert.events.js';
import { describeResolution, foldAlertView } from './alert.view.js';

const raised: AlertEvent = {
  type: 'AlertRaised',
  data: {
    alertId: 'a-1',
    kind: 'COMMITMENT_MISSED',
    severity: 'HIGH',
    accountId: 'acme',
    subject: 'c-1',
    title: 'Missed "Send the proposal"',
    detail: 'It was due 2026-11-01T00:00:00.000Z',
    cause: 'evt-1',
    occurredAt: '2026-11-02T08:00:00.000Z',
  },
};

describe('alert view', () => {
  it('is nothing before the alert is raised', () => {
    expect(foldAlertView([])).toBeNull();
    expect(
      foldAlertView([
        {
          type: 'AlertAcknowledged',
          data: { alertId: 'a-1', by: 'lead', note: null, occurredAt: '2026-11-02T09:00:00.000Z' },
        },
      ]),
    ).toBeNull();
  });

  it('follows the alert from raised through escalated and acknowledged to resolved', () => {
    const open = foldAlertView([raised])!;
    expect(open).toMatchObject({
      id: 'a-1',
      status: 'OPEN',
      severity: 'HIGH',
      raisedAt: new Date('2026-11-02T08:00:00.000Z'),
      acknowledgedAt: null,
      resolution: null,
    });
    const acknowledged = foldAlertView([
      raised,
      {
        type: 'AlertEscalated',
        data: {
          alertId: 'a-1',
          from: 'HIGH',
          to: 'CRITICAL',
          reason: 'longer',
          occurredAt: '2026-11-03T00:00:00.000Z',
        },
      },
      {
        type: 'AlertAcknowledged',
        data: { alertId: 'a-1', by: 'lead', note: 'on it', occurredAt: '2026-11-03T01:00:00.000Z' },
      },
    ])!;
    expect(acknowledged).toMatchObject({
      status: 'ACKNOWLEDGED',
      severity: 'CRITICAL',
      acknowledgedBy: 'lead',
      acknowledgeNote: 'on it',
      acknowledgedAt: new Date('2026-11-03T01:00:00.000Z'),
    });
    const resolved = foldAlertView([
      raised,
      {
        type: 'AlertResolved',
        data: {
          alertId: 'a-1',
          resolution: 'AUTO',
          by: null,
          reason: 'The commitment was fulfilled late',
          cause: 'evt-9',
          occurredAt: '2026-11-04T00:00:00.000Z',
        },
      },
    ])!;
    expect(resolved).toMatchObject({
      status: 'RESOLVED',
      resolvedAt: new Date('2026-11-04T00:00:00.000Z'),
      resolutionKind: 'AUTO',
      resolution: 'AUTO: The commitment was fulfilled late',
    });
  });

  it('says who resolved an alert by hand and why', () => {
    expect(describeResolution({ resolution: 'MANUAL', by: 'lead', reason: 'handled on a call' })).toBe(
      'MANUAL by lead: handled on a call',
    );
  });
});
