import {
  accountOpened,
  ACCOUNT_ID,
  at,
  changeStage,
  DAY,
  iso,
  MINUTE,
  NOW,
  spec,
  stageChanged,
} from '../testing/index.js';

const lost = (data: Record<string, unknown> = {}) => ({
  type: 'LifecycleStageChanged' as const,
  data: {
    accountId: ACCOUNT_ID,
    from: 'PROPOSAL' as const,
    to: 'LOST' as const,
    reason: 'budget cut',
    lessons: null,
    occurredAt: NOW.toISOString(),
    ...data,
  },
});

describe('ChangeStage', () => {
  const inProposal = [accountOpened({ stage: 'PROPOSAL' })];

  it('needs a reason to move to LOST or CHURNED', () => {
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST' }), at())
      .thenThrows('BAD_USER_INPUT', ['reason']);
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: '  ' }), at())
      .thenThrows('BAD_USER_INPUT', ['reason']);
    spec
      .given([accountOpened({ stage: 'ACTIVE' })])
      .when(changeStage({ to: 'CHURNED', reason: null }), at())
      .thenThrows('BAD_USER_INPUT', ['reason']);
  });

  it('does not need a reason for other moves, but keeps one when given', () => {
    spec
      .given(inProposal)
      .when(changeStage({ to: 'ONBOARDING' }), at())
      .then([
        {
          type: 'LifecycleStageChanged',
          data: {
            accountId: ACCOUNT_ID,
            from: 'PROPOSAL',
            to: 'ONBOARDING',
            reason: null,
            lessons: null,
            occurredAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('keeps the lessons of a LOST deal', () => {
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'budget cut', lessons: 'involve finance earlier' }), at())
      .then([lost({ lessons: 'involve finance earlier' })]);
  });

  it('takes lessons only for LOST', () => {
    spec
      .given([accountOpened({ stage: 'ACTIVE' })])
      .when(changeStage({ to: 'CHURNED', reason: 'moved away', lessons: 'x' }), at())
      .thenThrows('BAD_USER_INPUT', ['lessons']);
  });

  it('records the given business time, up to 5 minutes ahead of now', () => {
    const occurredAt = iso(NOW, -3 * DAY);
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'budget cut', occurredAt }), at())
      .then([lost({ occurredAt })]);
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'budget cut', occurredAt: iso(NOW, 5 * MINUTE) }), at())
      .then([lost({ occurredAt: iso(NOW, 5 * MINUTE) })]);
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'budget cut', occurredAt: iso(NOW, 5 * MINUTE + 1) }), at())
      .thenThrows('BAD_USER_INPUT', ['occurredAt']);
  });

  it('refuses a business time before the current stage was entered', () => {
    const enteredAt = iso(NOW, -DAY);
    spec
      .given([accountOpened(), stageChanged('PROSPECT', 'DISCOVERY', enteredAt)])
      .when(changeStage({ to: 'PROPOSAL', occurredAt: iso(enteredAt, -1) }), at())
      .thenThrows('BAD_USER_INPUT', ['occurredAt']);
    spec
      .given([accountOpened(), stageChanged('PROSPECT', 'DISCOVERY', enteredAt)])
      .when(changeStage({ to: 'PROPOSAL', occurredAt: enteredAt }), at())
      .then([stageChanged('DISCOVERY', 'PROPOSAL', enteredAt)]);
  });

  it('lists every bad field at once', () => {
    spec
      .given(inProposal)
      .when(
        {
          type: 'ChangeStage',
          data: { accountId: '-bad', to: 'WON' as never, lessons: 'x'.repeat(5001), occurredAt: 'yesterday' },
        },
        at(),
      )
      .thenThrows('BAD_USER_INPUT', ['accountId', 'to', 'lessons', 'occurredAt']);
  });

  it('refuses an account that was never opened', () => {
    spec
      .given([])
      .when(changeStage({ to: 'DISCOVERY' }), at())
      .thenThrows('ACCOUNT_NOT_FOUND');
  });

  it('caps reason at 2,000 characters and lessons at 5,000', () => {
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'r'.repeat(2000), lessons: 'l'.repeat(5000) }), at())
      .then([lost({ reason: 'r'.repeat(2000), lessons: 'l'.repeat(5000) })]);
    spec
      .given(inProposal)
      .when(changeStage({ to: 'LOST', reason: 'r'.repeat(2001), lessons: 'l'.repeat(5001) }), at())
      .thenThrows('BAD_USER_INPUT', ['reason', 'lessons']);
  });
});
