import {
  accountOpened,
  ACCOUNT_ID,
  at,
  changeStage,
  iso,
  NOW,
  OPENED_AT,
  spec,
  stageChanged,
} from '../testing/index.js';
import { LIFECYCLE_STAGES, type LifecycleStage } from './lifecycle-stage.enum.js';
import { canTransition, STAGE_TRANSITIONS } from './stage-transitions.table.js';

const ALLOWED: ReadonlyArray<readonly [LifecycleStage, readonly LifecycleStage[]]> = [
  ['PROSPECT', ['DISCOVERY', 'LOST']],
  ['DISCOVERY', ['PROPOSAL', 'PROSPECT', 'LOST']],
  ['PROPOSAL', ['ONBOARDING', 'DISCOVERY', 'LOST']],
  ['ONBOARDING', ['ACTIVE', 'CHURNED']],
  ['ACTIVE', ['RENEWAL', 'ADVOCATE', 'ONBOARDING', 'CHURNED']],
  ['RENEWAL', ['ACTIVE', 'ADVOCATE', 'CHURNED']],
  ['ADVOCATE', ['ACTIVE', 'RENEWAL', 'CHURNED']],
  ['LOST', ['PROSPECT']],
  ['CHURNED', ['PROSPECT']],
];
const allowed = new Map(ALLOWED);

/** An account sitting in `stage` (exited stages are reached by a transition, as they must be). */
function accountIn(stage: LifecycleStage) {
  const enteredAt = iso(OPENED_AT, 1000);
  if (stage === 'LOST')
    return [accountOpened(), stageChanged('PROSPECT', 'LOST', enteredAt, { reason: 'r' })];
  if (stage === 'CHURNED') {
    return [
      accountOpened({ stage: 'ACTIVE' }),
      stageChanged('ACTIVE', 'CHURNED', enteredAt, { reason: 'r' }),
    ];
  }
  return [accountOpened({ stage })];
}

const pairs = LIFECYCLE_STAGES.flatMap((from) => LIFECYCLE_STAGES.map((to) => [from, to] as const));
const allowedPairs = pairs.filter(([from, to]) => allowed.get(from)?.includes(to));
const forbiddenPairs = pairs.filter(([from, to]) => from !== to && !allowed.get(from)?.includes(to));

describe('the stage transition table', () => {
  it('is exactly the table of product.md', () => {
    expect(STAGE_TRANSITIONS).toEqual(Object.fromEntries(ALLOWED));
    expect(allowedPairs).toHaveLength(22);
    expect(forbiddenPairs).toHaveLength(81 - 9 - 22);
  });

  it.each(allowedPairs)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    spec
      .given(accountIn(from))
      .when(changeStage({ to, reason: 'why' }), at())
      .then(
        [
          {
            type: 'LifecycleStageChanged',
            data: {
              accountId: ACCOUNT_ID,
              from,
              to,
              reason: 'why',
              lessons: null,
              occurredAt: NOW.toISOString(),
            },
          },
        ],
        'created',
      );
  });

  it.each(forbiddenPairs)('refuses %s → %s with INVALID_TRANSITION', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    spec
      .given(accountIn(from))
      .when(changeStage({ to, reason: 'why' }), at())
      .thenThrows('INVALID_TRANSITION');
  });

  it.each(LIFECYCLE_STAGES.map((stage) => [stage]))('treats %s → itself as a no-op', (stage) => {
    spec
      .given(accountIn(stage))
      .when(changeStage({ to: stage, reason: 'why' }), at())
      .thenNothing('unchanged');
  });
});
