import { AlertError, decideAlert, evolveAlert, type AlertCommand, type AlertState } from './alert.decider.js';
import type { AlertEvent } from './alert.events.js';
import { severityOf, stepUp } from './alert.types.js';

const NOW = new Date('2026-11-20T10:00:00.000Z');
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

function stateAfter(...commands: AlertCommand[]): AlertState {
  let state: AlertState = null;
  for (const command of commands) {
    for (const event of decideAlert(command, state, NOW).events)
      state = evolveAlert(state, event as AlertEvent);
  }
  return state;
}

describe('alert decider', () => {
  it('raises once: raising the same alert again changes nothing', () => {
    const first = decideAlert(raise, null, NOW);
    expect(first.outcome).toBe('created');
    expect(first.events).toEqual([
      { type: 'AlertRaised', data: { ...raise.data, occurredAt: NOW.toISOString() } },
    ]);
    expect(decideAlert(raise, stateAfter(raise), NOW)).toEqual({ events: [], outcome: 'duplicate' });
  });

  it('escalates only upwards and not once resolved', () => {
    const open = stateAfter(raise);
    const up = decideAlert(
      { type: 'EscalateAlert', data: { alertId: 'a-1', to: 'HIGH', reason: '2x cadence' } },
      open,
      NOW,
    );
    expect(up.events).toEqual([
      {
        type: 'AlertEscalated',
        data: {
          alertId: 'a-1',
          from: 'MEDIUM',
          to: 'HIGH',
          reason: '2x cadence',
          occurredAt: NOW.toISOString(),
        },
      },
    ]);
    expect(
      decideAlert({ type: 'EscalateAlert', data: { alertId: 'a-1', to: 'MEDIUM', reason: 'x' } }, open, NOW)
        .outcome,
    ).toBe('unchanged');
    const resolved = stateAfter(raise, {
      type: 'ResolveAlert',
      data: { alertId: 'a-1', resolution: 'AUTO', by: null, reason: 'r', cause: 'e' },
    });
    expect(
      decideAlert({ type: 'EscalateAlert', data: { alertId: 'a-1', to: 'HIGH', reason: 'x' } }, resolved, NOW)
        .outcome,
    ).toBe('unchanged');
  });

  it('acknowledges an open alert once, and refuses a missing or resolved one', () => {
    const ack: AlertCommand = {
      type: 'AcknowledgeAlert',
      data: { alertId: 'a-1', by: 'boss', note: 'on it' },
    };
    expect(decideAlert(ack, stateAfter(raise), NOW).events).toHaveLength(1);
    expect(decideAlert(ack, stateAfter(raise, ack), NOW).outcome).toBe('unchanged');
    expect(() => decideAlert(ack, null, NOW)).toThrow(
      new AlertError('NOT_FOUND', 'Alert a-1 does not exist'),
    );
    const resolved = stateAfter(raise, {
      type: 'ResolveAlert',
      data: { alertId: 'a-1', resolution: 'MANUAL', by: 'boss', reason: 'done', cause: null },
    });
    expect(resolved?.status).toBe('RESOLVED');
    expect(() => decideAlert(ack, resolved, NOW)).toThrow(AlertError);
  });

  it('resolves once; an automatic resolution of an alert never raised changes nothing, a manual one is refused', () => {
    const auto: AlertCommand = {
      type: 'ResolveAlert',
      data: { alertId: 'a-1', resolution: 'AUTO', by: null, reason: 'r', cause: 'e' },
    };
    expect(decideAlert(auto, null, NOW).outcome).toBe('unchanged');
    expect(() =>
      decideAlert(
        { ...auto, data: { ...auto.data, resolution: 'MANUAL', by: 'boss' } } as AlertCommand,
        null,
        NOW,
      ),
    ).toThrow(AlertError);
    expect(decideAlert(auto, stateAfter(raise), NOW).outcome).toBe('created');
    expect(decideAlert(auto, stateAfter(raise, auto), NOW).outcome).toBe('unchanged');
  });
});

describe('severities (product.md)', () => {
  it.each([
    ['COMMITMENT_MISSED', 'STRATEGIC', 'CRITICAL'],
    ['COMMITMENT_MISSED', 'ENTERPRISE', 'HIGH'],
    ['COMMITMENT_MISSED', 'MIDMARKET', 'MEDIUM'],
    ['COMMITMENT_MISSED', 'SMB', 'MEDIUM'],
    ['COMMITMENT_DUE_SOON', 'STRATEGIC', 'LOW'],
    ['ACCOUNT_SILENT', 'STRATEGIC', 'HIGH'],
    ['ACCOUNT_SILENT', 'ENTERPRISE', 'MEDIUM'],
    ['ACCOUNT_SILENT', 'SMB', 'MEDIUM'],
    ['NEGATIVE_MOMENT_OF_TRUTH', 'SMB', 'HIGH'],
    ['HEALTH_DROPPED', 'MIDMARKET', 'HIGH'],
  ] as const)('%s on %s is %s', (kind, tier, severity) => {
    expect(severityOf(kind, tier)).toBe(severity);
  });

  it('steps one up and stays at CRITICAL', () => {
    expect(stepUp('MEDIUM')).toBe('HIGH');
    expect(stepUp('HIGH')).toBe('CRITICAL');
    expect(stepUp('CRITICAL')).toBe('CRITICAL');
  });
});
