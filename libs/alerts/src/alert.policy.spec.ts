import type { AccountEvent } from '#lifecycle';

import { alertIdOf } from './alert-ids.js';
import {
  alertCommandsFor,
  staleAlertResolution,
  type OpenAlertRef,
  type PolicyContext,
} from './alert.policy.js';

const context = (overrides: Partial<PolicyContext> = {}): PolicyContext => ({
  eventId: 'evt-9',
  tier: 'STRATEGIC',
  openAlerts: [],
  commitmentTitle: (id) => (id === 'c-1' ? 'Send the SOW' : undefined),
  ...overrides,
});
const touch = (data: Partial<Extract<AccountEvent, { type: 'TouchpointRecorded' }>['data']>): AccountEvent =>
  ({
    type: 'TouchpointRecorded',
    data: {
      accountId: 'acme',
      touchpointId: 't-1',
      occurredAt: '2026-11-20T09:00:00.000Z',
      channel: 'SUPPORT_TICKET',
      direction: 'INBOUND',
      pillar: 'SERVICE',
      sentiment: null,
      momentOfTruth: false,
      stage: 'ACTIVE',
      qualifying: true,
      summary: 'Outage',
      actorId: null,
      participants: [],
      source: 'zendesk',
      externalRef: null,
      ...data,
    },
  }) as AccountEvent;

describe('alert policy', () => {
  it('raises COMMITMENT_MISSED by tier with a deterministic id, and resolves its due-soon alert', () => {
    const dueSoon: OpenAlertRef = {
      alertId: 'due-1',
      kind: 'COMMITMENT_DUE_SOON',
      subject: 'c-1',
      since: '2026-11-18T00:00:00Z',
    };
    const missed: AccountEvent = {
      type: 'CommitmentMissed',
      data: {
        accountId: 'acme',
        commitmentId: 'c-1',
        dueAt: '2026-11-19T00:00:00.000Z',
        occurredAt: '2026-11-19T00:00:05.000Z',
      },
    };
    const commands = alertCommandsFor(missed, context({ openAlerts: [dueSoon] }));
    expect(commands).toEqual([
      {
        type: 'RaiseAlert',
        data: expect.objectContaining({
          alertId: alertIdOf('COMMITMENT_MISSED', 'acme', 'c-1', '2026-11-19T00:00:00.000Z'),
          kind: 'COMMITMENT_MISSED',
          severity: 'CRITICAL',
          subject: 'c-1',
          title: 'Missed "Send the SOW"',
          cause: 'evt-9',
        }),
      },
      {
        type: 'ResolveAlert',
        data: expect.objectContaining({ alertId: 'due-1', resolution: 'AUTO', cause: 'evt-9' }),
      },
    ]);
    // The same fact gives the same id; a miss of a renegotiated date is another alert.
    expect(alertCommandsFor(missed, context())[0]).toEqual(commands[0]);
    const again = { ...missed, data: { ...missed.data, dueAt: '2026-12-01T00:00:00.000Z' } } as AccountEvent;
    expect((alertCommandsFor(again, context())[0].data as { alertId: string }).alertId).not.toBe(
      (commands[0].data as { alertId: string }).alertId,
    );
  });

  it.each(['CommitmentFulfilled', 'CommitmentRenegotiated', 'CommitmentCancelled'] as const)(
    '%s resolves the commitment’s missed and due-soon alerts only',
    (type) => {
      const open: OpenAlertRef[] = [
        { alertId: 'm-1', kind: 'COMMITMENT_MISSED', subject: 'c-1', since: 'x' },
        { alertId: 'd-1', kind: 'COMMITMENT_DUE_SOON', subject: 'c-1', since: 'x' },
        { alertId: 'm-2', kind: 'COMMITMENT_MISSED', subject: 'c-2', since: 'x' },
      ];
      const event = {
        type,
        data: {
          accountId: 'acme',
          commitmentId: 'c-1',
          onTime: false,
          newDueAt: '2026-12-01T00:00:00Z',
          occurredAt: 'x',
        },
      } as unknown as AccountEvent;
      const resolved = alertCommandsFor(event, context({ openAlerts: open })).map((c) => c.data.alertId);
      expect(resolved).toEqual(['m-1', 'd-1']);
    },
  );

  it('raises ACCOUNT_SILENT when an account goes silent and resolves it on re-engagement or exit', () => {
    const silent: AccountEvent = {
      type: 'AccountWentSilent',
      data: { accountId: 'acme', silentSince: '2026-10-01T00:00:00.000Z', cadenceDays: 14, occurredAt: 'x' },
    };
    expect(alertCommandsFor(silent, context())[0].data).toMatchObject({
      kind: 'ACCOUNT_SILENT',
      severity: 'HIGH',
    });
    expect(alertCommandsFor(silent, context({ tier: 'SMB' }))[0].data).toMatchObject({ severity: 'MEDIUM' });
    const open: OpenAlertRef[] = [{ alertId: 's-1', kind: 'ACCOUNT_SILENT', subject: null, since: 'x' }];
    const reEngaged = {
      type: 'AccountReEngaged',
      data: { accountId: 'acme', touchpointId: 't', silentSince: 'x', silentForDays: 40, occurredAt: 'x' },
    } as AccountEvent;
    expect(alertCommandsFor(reEngaged, context({ openAlerts: open })).map((c) => c.data.alertId)).toEqual([
      's-1',
    ]);
    const churned = {
      type: 'LifecycleStageChanged',
      data: { accountId: 'acme', from: 'ACTIVE', to: 'CHURNED', reason: 'r', lessons: null, occurredAt: 'x' },
    } as AccountEvent;
    expect(alertCommandsFor(churned, context({ openAlerts: open })).map((c) => c.data.alertId)).toEqual([
      's-1',
    ]);
    const renewal = { ...churned, data: { ...churned.data, to: 'RENEWAL' } } as AccountEvent;
    expect(alertCommandsFor(renewal, context({ openAlerts: open }))).toEqual([]);
  });

  it('raises NEGATIVE_MOMENT_OF_TRUTH for a negative moment of truth; a later positive qualifying touch resolves it', () => {
    const bad = touch({ momentOfTruth: true, sentiment: 'NEGATIVE' });
    expect(alertCommandsFor(bad, context())).toEqual([
      {
        type: 'RaiseAlert',
        data: expect.objectContaining({ kind: 'NEGATIVE_MOMENT_OF_TRUTH', severity: 'HIGH', subject: 't-1' }),
      },
    ]);
    expect(alertCommandsFor(touch({ momentOfTruth: true, sentiment: 'NEUTRAL' }), context())).toEqual([]);
    const open: OpenAlertRef[] = [
      { alertId: 'n-1', kind: 'NEGATIVE_MOMENT_OF_TRUTH', subject: 't-1', since: '2026-11-20T09:00:00.000Z' },
    ];
    const later = touch({
      touchpointId: 't-2',
      occurredAt: '2026-11-21T09:00:00.000Z',
      sentiment: 'POSITIVE',
    });
    expect(alertCommandsFor(later, context({ openAlerts: open })).map((c) => c.data.alertId)).toEqual([
      'n-1',
    ]);
    const earlier = touch({
      touchpointId: 't-0',
      occurredAt: '2026-11-19T09:00:00.000Z',
      sentiment: 'POSITIVE',
    });
    expect(alertCommandsFor(earlier, context({ openAlerts: open }))).toEqual([]);
    const internal = touch({
      touchpointId: 't-3',
      occurredAt: '2026-11-22T09:00:00.000Z',
      sentiment: 'POSITIVE',
      qualifying: false,
    });
    expect(alertCommandsFor(internal, context({ openAlerts: open }))).toEqual([]);
  });

  describe('a due-soon alert raised after the commitment moved on', () => {
    const dueAt = '2026-11-25T09:00:00.000Z';
    const raised = {
      alertId: alertIdOf('COMMITMENT_DUE_SOON', 'acme', 'c-1', dueAt),
      kind: 'COMMITMENT_DUE_SOON' as const,
      severity: 'LOW' as const,
      accountId: 'acme',
      subject: 'c-1',
      title: 'A commitment is due within 48 hours',
      detail: null,
      cause: 'scan',
      occurredAt: '2026-11-23T10:00:00.000Z',
    };

    it('is resolved when the commitment is no longer OPEN', () => {
      expect(staleAlertResolution(raised, { status: 'FULFILLED', dueAt }, 'evt-1')?.data).toEqual({
        alertId: raised.alertId,
        resolution: 'AUTO',
        by: null,
        reason: 'The commitment was already fulfilled',
        cause: 'evt-1',
      });
    });

    it('is resolved when the commitment was renegotiated to another date', () => {
      const later = '2026-12-01T09:00:00.000Z';
      expect(staleAlertResolution(raised, { status: 'OPEN', dueAt: later }, 'evt-1')?.data.reason).toBe(
        `The commitment was renegotiated to ${later}`,
      );
    });

    it('stands while the commitment is OPEN with that due date, or when the policy does not know it', () => {
      expect(staleAlertResolution(raised, { status: 'OPEN', dueAt }, 'evt-1')).toBeUndefined();
      expect(staleAlertResolution(raised, undefined, 'evt-1')).toBeUndefined();
      expect(staleAlertResolution(raised, { status: null, dueAt: null }, 'evt-1')).toBeUndefined();
      expect(
        staleAlertResolution(
          { ...raised, kind: 'COMMITMENT_MISSED' },
          { status: 'FULFILLED', dueAt },
          'evt-1',
        ),
      ).toBeUndefined();
    });
  });
});
