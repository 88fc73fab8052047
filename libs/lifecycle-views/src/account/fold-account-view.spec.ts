import {
  accountOpened,
  commitmentCancelled,
  commitmentFulfilled,
  commitmentMade,
  commitmentMissed,
  commitmentRenegotiated,
  reEngaged,
  stageChanged,
  StreamScript,
  touchpointRecorded,
  wentSilent,
} from '../testing/account-events.js';
import type { AccountView } from './account.view.js';
import { foldAccountView } from './fold-account-view.js';

const d = (day: string): string => `${day}T00:00:00.000Z`;
const at = (day: string): Date => new Date(d(day));

/**
 * An ENTERPRISE account (cadence 30) from prospect to customer, silent and back, churned and
 * won back, with a touchpoint backfilled after the win-back.
 */
function lifecycle(): StreamScript {
  return new StreamScript()
    .add(accountOpened({ openedAt: d('2025-01-01') })) // 0
    .add(
      touchpointRecorded('tp-1', d('2025-01-05'), {
        pillar: 'DISCOVERY',
        sentiment: 'POSITIVE',
        summary: 'First call',
      }),
    ) // 1
    .add(stageChanged('PROSPECT', 'DISCOVERY', d('2025-01-10'))) // 2
    .add(stageChanged('DISCOVERY', 'PROPOSAL', d('2025-02-01'))) // 3
    .add(commitmentMade('c-1', d('2025-02-10'), d('2025-02-20'), { title: 'Send the proposal' })) // 4
    .add(stageChanged('PROPOSAL', 'ONBOARDING', d('2025-02-15'))) // 5
    .add(commitmentMissed('c-1', d('2025-02-20'), d('2025-02-21'))) // 6
    .add(commitmentFulfilled('c-1', d('2025-02-25'), d('2025-02-20'), true)) // 7
    .add(stageChanged('ONBOARDING', 'ACTIVE', d('2025-03-01'))) // 8
    .add(
      touchpointRecorded('tp-2', d('2025-03-01'), {
        channel: 'MEETING',
        direction: 'INBOUND',
        pillar: 'SERVICE',
        sentiment: 'NEUTRAL',
        stage: 'ACTIVE',
      }),
    ) // 9
    .add(touchpointRecorded('note', d('2025-03-20'), { channel: 'INTERNAL_NOTE', direction: 'INTERNAL' })) // 10
    .add(wentSilent(d('2025-03-01'), d('2025-04-01'))) // 11
    .add(
      touchpointRecorded('tp-3', d('2025-04-05'), {
        channel: 'EMAIL',
        pillar: 'ENGAGEMENT',
        sentiment: 'NEGATIVE',
        momentOfTruth: true,
        stage: 'ACTIVE',
      }),
    ) // 12
    .add(reEngaged('tp-3', d('2025-03-01'), 35, d('2025-04-05'))) // 13
    .add(stageChanged('ACTIVE', 'CHURNED', d('2025-05-01'), { reason: 'budget cut' })) // 14
    .add(stageChanged('CHURNED', 'PROSPECT', d('2025-06-01'), { reason: 'win-back campaign' })) // 15
    .add(
      touchpointRecorded('tp-old', d('2025-03-15'), {
        pillar: 'SERVICE',
        sentiment: 'POSITIVE',
        stage: 'ACTIVE',
      }),
      d('2025-06-10'),
    ); // 16: a backfill
}

function viewAt(day: string, openAlerts: readonly { severity: 'HIGH' | 'LOW' }[] = []): AccountView {
  const view = foldAccountView(lifecycle().events, at(day), openAlerts);
  if (view === null) throw new Error(`no account on ${day}`);
  return view;
}

const visits = (view: AccountView) =>
  view.stageHistory.map((visit) => [
    visit.stage,
    visit.enteredAt.toISOString().slice(0, 10),
    visit.exitedAt?.toISOString().slice(0, 10) ?? null,
    visit.reason,
  ]);

describe('foldAccountView', () => {
  it('is null before the account was opened (or recorded)', () => {
    expect(foldAccountView(lifecycle().events, at('2024-12-31'))).toBeNull();
    expect(foldAccountView([], at('2025-06-30'))).toBeNull();
  });

  it('shows the account as opened', () => {
    const view = viewAt('2025-01-01');
    expect(view).toMatchObject({
      id: 'acme-1',
      name: 'Acme',
      tier: 'ENTERPRISE',
      ownerId: 'owner-1',
      openedAt: at('2025-01-01'),
      stage: 'PROSPECT',
      phase: 'PRE_SALES',
      stageEnteredAt: at('2025-01-01'),
      daysInStage: 0,
      cadenceDays: 30,
      lastTouchpointAt: null,
      lastQualifyingTouchAt: null,
      daysSinceLastQualifyingTouch: null,
      silent: false,
      silentSince: null,
      touchpointCount: 0,
      revision: 0n,
    });
    expect(visits(view)).toEqual([['PROSPECT', '2025-01-01', null, null]]);
    expect(view.timeline.map((entry) => entry.summary)).toEqual([
      'Opened Acme (ENTERPRISE) in PROSPECT, owner owner-1',
    ]);
  });

  it('in PROPOSAL: stage history, whole days in stage, an open commitment', () => {
    const view = viewAt('2025-02-12');
    expect(view).toMatchObject({ stage: 'PROPOSAL', phase: 'PRE_SALES', daysInStage: 11 });
    expect(visits(view)).toEqual([
      ['PROSPECT', '2025-01-01', '2025-01-10', null],
      ['DISCOVERY', '2025-01-10', '2025-02-01', null],
      ['PROPOSAL', '2025-02-01', null, null],
    ]);
    expect(view.commitments).toEqual([
      {
        id: 'c-1',
        accountId: 'acme-1',
        title: 'Send the proposal',
        description: null,
        ownerId: 'owner-1',
        madeAt: at('2025-02-10'),
        dueAt: at('2025-02-20'),
        status: 'OPEN',
        fulfilledAt: null,
        onTime: null,
        missedAt: null,
        renegotiations: 0,
      },
    ]);
    expect(view.commitmentStats).toMatchObject({ open: 1, overdue: 0, onTimeRate: null });
    expect(view.daysSinceLastQualifyingTouch).toBe(38);
  });

  it('counts a due date passed but not yet recorded missed as overdue', () => {
    // Due at exactly asOf: not overdue yet.
    expect(viewAt('2025-02-20').commitmentStats.overdue).toBe(0);
    const view = foldAccountView(lifecycle().events, new Date('2025-02-20T12:00:00.000Z'));
    expect(view?.commitmentStats).toMatchObject({ open: 1, overdue: 1, missed: 0 });
  });

  it('once missed: MISSED with missedAt, the commitments factor at 0', () => {
    const view = viewAt('2025-02-22');
    expect(view.stage).toBe('ONBOARDING');
    expect(view.commitments[0]).toMatchObject({ status: 'MISSED', missedAt: at('2025-02-21') });
    expect(view.commitmentStats).toMatchObject({ open: 0, overdue: 0, missed: 1, onTimeRate: 0 });
    expect(view.health.factors[1]).toMatchObject({ name: 'commitments', points: 0 });
  });

  it('silent from the recorded fact, with missed-then-fulfilled counted both ways', () => {
    const view = viewAt('2025-04-02');
    expect(view).toMatchObject({
      stage: 'ACTIVE',
      phase: 'RETENTION',
      daysInStage: 32,
      silent: true,
      silentSince: at('2025-03-01'),
      lastTouchpointAt: at('2025-03-20'),
      lastQualifyingTouchAt: at('2025-03-01'),
      daysSinceLastQualifyingTouch: 32,
      touchpointCount: 3,
    });
    expect(view.commitments[0]).toMatchObject({
      status: 'FULFILLED',
      fulfilledAt: at('2025-02-25'),
      onTime: false,
      missedAt: at('2025-02-21'),
    });
    expect(view.commitmentStats).toMatchObject({
      missed: 1,
      fulfilledLate: 1,
      fulfilledOnTime: 0,
      onTimeRate: 0,
    });
  });

  it('not silent just before the silence was recorded, whatever the clock says', () => {
    const view = foldAccountView(lifecycle().events, new Date('2025-03-31T23:59:59.999Z'));
    expect(view).toMatchObject({ silent: false, silentSince: null, daysSinceLastQualifyingTouch: 30 });
  });

  it('re-engaged: health computed for the instant with the alerts given', () => {
    const view = viewAt('2025-04-06', [{ severity: 'HIGH' }, { severity: 'LOW' }]);
    expect(view).toMatchObject({ silent: false, silentSince: null, lastQualifyingTouchAt: at('2025-04-05') });
    expect(view.openAlerts).toHaveLength(2);
    expect(view.pillarBalance()).toEqual({ windowDays: 90, discovery: 0, service: 1, engagement: 1 });
    expect(view.pillarBalance(120)).toEqual({ windowDays: 120, discovery: 1, service: 1, engagement: 1 });
    // recency 35 (1 day); commitments 0 (0 of 2 on time); sentiment 10 (mean of +, 0, −);
    // pillars 6.67 (tp-1 is 91 days old); alerts 5 (one HIGH) = 56.67
    expect(view.health.factors.map((factor) => factor.points)).toEqual([35, 0, 10, 6.67, 5]);
    expect(view.health).toMatchObject({ score: 57, band: 'AMBER' });
    const reEngagement = view.timeline.find((entry) => entry.type === 'AccountReEngaged');
    expect(reEngagement?.touchpoint?.id).toBe('tp-3');
  });

  it('churned: EXITED, the churn reason on the CHURNED visit', () => {
    const view = viewAt('2025-05-15');
    expect(view).toMatchObject({ stage: 'CHURNED', phase: 'EXITED', daysInStage: 14, silent: false });
    expect(visits(view).slice(-2)).toEqual([
      ['ACTIVE', '2025-03-01', '2025-05-01', null],
      ['CHURNED', '2025-05-01', null, 'budget cut'],
    ]);
  });

  it('won back: the CHURNED visit closed, keeping its reason; the backfill not known yet', () => {
    const view = viewAt('2025-06-05');
    expect(view).toMatchObject({ stage: 'PROSPECT', phase: 'PRE_SALES', daysInStage: 4, touchpointCount: 4 });
    expect(visits(view)).toEqual([
      ['PROSPECT', '2025-01-01', '2025-01-10', null],
      ['DISCOVERY', '2025-01-10', '2025-02-01', null],
      ['PROPOSAL', '2025-02-01', '2025-02-15', null],
      ['ONBOARDING', '2025-02-15', '2025-03-01', null],
      ['ACTIVE', '2025-03-01', '2025-05-01', null],
      ['CHURNED', '2025-05-01', '2025-06-01', 'budget cut'],
      ['PROSPECT', '2025-06-01', null, 'win-back campaign'],
    ]);
    expect(view.touchpoints.map((touchpoint) => touchpoint.id)).toEqual(['tp-1', 'tp-2', 'note', 'tp-3']);
    expect(view.revision).toBe(15n);
  });

  it('ignores events recorded after asOf even when their business time is earlier (backfill)', () => {
    const before = foldAccountView(lifecycle().events, new Date('2025-06-09T23:59:59.999Z'));
    expect(before?.touchpoints.map((touchpoint) => touchpoint.id)).not.toContain('tp-old');
    expect(before?.timeline).toHaveLength(16);

    const after = viewAt('2025-06-10');
    expect(after.touchpointCount).toBe(5);
    expect(after.timeline).toHaveLength(17);
    const backfilled = after.touchpoints.find((touchpoint) => touchpoint.id === 'tp-old');
    expect(backfilled).toMatchObject({
      occurredAt: at('2025-03-15'),
      recordedAt: at('2025-06-10'),
      stage: 'ACTIVE',
    });
    // Sorted by business time: between the March meeting and the internal note.
    expect(after.touchpoints.map((touchpoint) => touchpoint.id)).toEqual([
      'tp-1',
      'tp-2',
      'tp-old',
      'note',
      'tp-3',
    ]);
    const timelineIds = after.timeline.map((entry) => entry.id);
    expect(timelineIds.indexOf('ev-16')).toBe(timelineIds.indexOf('ev-10') - 1);
    // The past view does not change: asking for an earlier instant still leaves it out.
    expect(viewAt('2025-04-02').touchpointCount).toBe(3);
  });

  it('sorts the timeline by business time, then revision', () => {
    const view = viewAt('2025-06-10');
    const keys = view.timeline.map((entry) => [entry.occurredAt.getTime(), entry.revision] as const);
    const sorted = [...keys].sort(([t1, r1], [t2, r2]) => t1 - t2 || (r1 < r2 ? -1 : r1 > r2 ? 1 : 0));
    expect(keys).toEqual(sorted);
    // ACTIVE (rev 8) and the meeting (rev 9) share 2025-03-01.
    const march1 = view.timeline.filter((entry) => entry.occurredAt.getTime() === at('2025-03-01').getTime());
    expect(march1.map((entry) => entry.type)).toEqual(['LifecycleStageChanged', 'TouchpointRecorded']);
  });

  it('gives each timeline entry its event id, type, times, summary and subject', () => {
    const view = viewAt('2025-06-10');
    const byId = new Map(view.timeline.map((entry) => [entry.id, entry]));
    expect(byId.get('ev-1')).toMatchObject({
      type: 'TouchpointRecorded',
      occurredAt: at('2025-01-05'),
      recordedAt: at('2025-01-05'),
      revision: 1n,
      summary: 'OUTBOUND CALL (DISCOVERY, POSITIVE): First call',
      commitment: null,
    });
    expect(byId.get('ev-1')?.touchpoint?.id).toBe('tp-1');
    expect(byId.get('ev-6')).toMatchObject({
      type: 'CommitmentMissed',
      summary: 'Missed "Send the proposal" (due 2025-02-20)',
    });
    // The commitment as of the view, not as of the event.
    expect(byId.get('ev-6')?.commitment?.status).toBe('FULFILLED');
    expect(byId.get('ev-7')?.summary).toBe('Fulfilled "Send the proposal" late, after it was missed');
    expect(byId.get('ev-11')?.summary).toBe(
      'Went silent: no qualifying touch since 2025-03-01 (cadence 30 days)',
    );
    expect(byId.get('ev-12')?.summary).toBe('OUTBOUND EMAIL (ENGAGEMENT, NEGATIVE, moment of truth)');
    expect(byId.get('ev-13')?.summary).toBe('Re-engaged after 35 days without a qualifying touch');
    expect(byId.get('ev-14')?.summary).toBe('Stage ACTIVE → CHURNED: budget cut');
  });

  it('gives the same answer when the events come out of revision order', () => {
    const events = lifecycle().events;
    const shuffled = [...events.slice(8), ...events.slice(0, 8)].reverse();
    const strip = (view: AccountView | null) => ({ ...view, pillarBalance: undefined });
    expect(strip(foldAccountView(shuffled, at('2025-06-10')))).toEqual(
      strip(foldAccountView(events, at('2025-06-10'))),
    );
  });

  it('keeps the lessons of a LOST deal on the LOST visit', () => {
    const events = new StreamScript()
      .add(accountOpened({ openedAt: d('2025-01-01') }))
      .add(stageChanged('PROSPECT', 'DISCOVERY', d('2025-01-10')))
      .add(
        stageChanged('DISCOVERY', 'LOST', d('2025-02-01'), {
          reason: 'chose a competitor',
          lessons: 'involve the CFO early',
        }),
      )
      .add(stageChanged('LOST', 'PROSPECT', d('2025-03-01'), { reason: 're-engaged' })).events;
    const view = foldAccountView(events, at('2025-03-05'));
    expect(view?.stageHistory[2]).toEqual({
      stage: 'LOST',
      enteredAt: at('2025-02-01'),
      exitedAt: at('2025-03-01'),
      reason: 'chose a competitor',
      lessons: 'involve the CFO early',
    });
    expect(view?.timeline[2].summary).toBe(
      'Stage DISCOVERY → LOST: chose a competitor; lessons: involve the CFO early',
    );
  });

  it('clears silence on exit, and uses the cadence, owner and tier in force', () => {
    const events = new StreamScript()
      .add(accountOpened({ openedAt: d('2025-01-01'), tier: 'SMB' }))
      .add(stageChanged('PROSPECT', 'DISCOVERY', d('2025-01-10')))
      .add({
        type: 'AccountCadenceSet',
        data: {
          accountId: 'acme-1',
          cadenceDays: 20,
          previousCadenceDays: null,
          occurredAt: d('2025-01-11'),
        },
      })
      .add({
        type: 'AccountOwnerAssigned',
        data: {
          accountId: 'acme-1',
          ownerId: 'owner-2',
          previousOwnerId: 'owner-1',
          occurredAt: d('2025-01-12'),
        },
      })
      .add(wentSilent(d('2025-01-01'), d('2025-01-22'), 20))
      .add(stageChanged('DISCOVERY', 'LOST', d('2025-02-01'), { reason: 'no budget' }))
      .add({
        type: 'AccountCadenceSet',
        data: {
          accountId: 'acme-1',
          cadenceDays: null,
          previousCadenceDays: 20,
          occurredAt: d('2025-02-02'),
        },
      }).events;
    expect(foldAccountView(events, at('2025-01-25'))).toMatchObject({
      cadenceDays: 20,
      ownerId: 'owner-2',
      silent: true,
      silentSince: at('2025-01-01'),
    });
    const exited = foldAccountView(events, at('2025-02-05'));
    expect(exited).toMatchObject({ stage: 'LOST', silent: false, silentSince: null, cadenceDays: 90 });
    expect(exited?.timeline.map((entry) => entry.summary)).toEqual([
      'Opened Acme (SMB) in PROSPECT, owner owner-1',
      'Stage PROSPECT → DISCOVERY',
      'Cadence tier default (90 days) → 20 days',
      'Owner owner-1 → owner-2',
      'Went silent: no qualifying touch since 2025-01-01 (cadence 20 days)',
      'Stage DISCOVERY → LOST: no budget',
      'Cadence 20 days → tier default (90 days)',
    ]);
  });

  it('follows each commitment path: renegotiated after a miss, cancelled after a miss, on time', () => {
    const events = new StreamScript()
      .add(accountOpened({ openedAt: d('2025-01-01') }))
      .add(commitmentMade('renegotiated', d('2025-01-02'), d('2025-01-10')))
      .add(commitmentMade('cancelled', d('2025-01-02'), d('2025-01-10')))
      .add(commitmentMade('kept', d('2025-01-02'), d('2025-02-10')))
      .add(commitmentMissed('renegotiated', d('2025-01-10'), d('2025-01-11')))
      .add(commitmentMissed('cancelled', d('2025-01-10'), d('2025-01-11')))
      .add(
        commitmentRenegotiated('renegotiated', d('2025-01-10'), d('2025-01-30'), d('2025-01-12'), 'MISSED'),
      )
      .add(commitmentCancelled('cancelled', d('2025-01-12'), 'MISSED'))
      .add(commitmentFulfilled('kept', d('2025-01-20'), d('2025-02-10')))
      .add(commitmentFulfilled('renegotiated', d('2025-01-25'), d('2025-01-30'))).events;

    const missedBoth = foldAccountView(events, at('2025-01-11'));
    expect(missedBoth?.commitmentStats).toMatchObject({ open: 1, missed: 2, onTimeRate: 0 });

    const view = foldAccountView(events, at('2025-02-01'));
    const byId = new Map(view?.commitments.map((commitment) => [commitment.id, commitment]));
    expect(byId.get('renegotiated')).toMatchObject({
      status: 'FULFILLED',
      dueAt: at('2025-01-30'),
      missedAt: null,
      onTime: true,
      renegotiations: 1,
    });
    expect(byId.get('cancelled')).toMatchObject({ status: 'CANCELLED', missedAt: at('2025-01-11') });
    expect(byId.get('kept')).toMatchObject({ status: 'FULFILLED', onTime: true, renegotiations: 0 });
    expect(view?.commitmentStats).toEqual({
      open: 0,
      overdue: 0,
      fulfilledOnTime: 2,
      fulfilledLate: 0,
      missed: 0,
      cancelled: 1,
      onTimeRate: 1,
    });
    expect(view?.timeline.map((entry) => entry.summary).slice(4, 8)).toEqual([
      'Missed "Promise renegotiated" (due 2025-01-10)',
      'Missed "Promise cancelled" (due 2025-01-10)',
      'Renegotiated "Promise renegotiated": due 2025-01-10 → 2025-01-30 (customer asked for more time)',
      'Cancelled "Promise cancelled": no longer needed',
    ]);
  });

  it('folds 50,000 events without quadratic work', () => {
    const script = new StreamScript().add(accountOpened({ openedAt: d('2020-01-01') }));
    for (let i = 0; i < 50_000; i += 1) {
      script.add(
        touchpointRecorded(`tp-${i}`, new Date(Date.parse(d('2020-01-02')) + i * 60_000).toISOString()),
      );
    }
    const started = performance.now();
    const view = foldAccountView(script.events, at('2021-01-01'));
    expect(view?.touchpointCount).toBe(50_000);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
