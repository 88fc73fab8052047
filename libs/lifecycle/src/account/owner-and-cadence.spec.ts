import { accountOpened, ACCOUNT_ID, at, NOW, spec } from '../testing/index.js';
import { DEFAULT_CADENCE_DAYS, effectiveCadenceDays } from './cadence.policy.js';
import { LIFECYCLE_STAGES } from './lifecycle-stage.enum.js';
import { isExited, phaseOf } from './lifecycle-phase.enum.js';

describe('AssignOwner', () => {
  it('records a new owner with the previous one', () => {
    spec
      .given([accountOpened()])
      .when({ type: 'AssignOwner', data: { accountId: ACCOUNT_ID, ownerId: 'owner-2' } }, at())
      .then(
        [
          {
            type: 'AccountOwnerAssigned',
            data: {
              accountId: ACCOUNT_ID,
              ownerId: 'owner-2',
              previousOwnerId: 'owner-1',
              occurredAt: NOW.toISOString(),
            },
          },
        ],
        'created',
      );
  });

  it('does nothing for the current owner', () => {
    spec
      .given([accountOpened()])
      .when({ type: 'AssignOwner', data: { accountId: ACCOUNT_ID, ownerId: 'owner-1' } }, at())
      .thenNothing('unchanged');
  });

  it('validates the owner id and needs an opened account', () => {
    spec
      .given([accountOpened()])
      .when({ type: 'AssignOwner', data: { accountId: ACCOUNT_ID, ownerId: ' ' } }, at())
      .thenThrows('BAD_USER_INPUT', ['ownerId']);
    spec
      .given([accountOpened()])
      .when({ type: 'AssignOwner', data: { accountId: ACCOUNT_ID, ownerId: 'o'.repeat(201) } }, at())
      .thenThrows('BAD_USER_INPUT', ['ownerId']);
    spec
      .given([])
      .when({ type: 'AssignOwner', data: { accountId: ACCOUNT_ID, ownerId: 'owner-2' } }, at())
      .thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('SetCadence', () => {
  const setCadence = (cadenceDays: number | null) =>
    ({ type: 'SetCadence', data: { accountId: ACCOUNT_ID, cadenceDays } }) as const;

  it('records an agreed cadence, and null to go back to the tier default', () => {
    spec
      .given([accountOpened()])
      .when(setCadence(7), at())
      .then([
        {
          type: 'AccountCadenceSet',
          data: {
            accountId: ACCOUNT_ID,
            cadenceDays: 7,
            previousCadenceDays: null,
            occurredAt: NOW.toISOString(),
          },
        },
      ]);
    spec
      .given([accountOpened({ cadenceDays: 7 })])
      .when(setCadence(null), at())
      .then([
        {
          type: 'AccountCadenceSet',
          data: {
            accountId: ACCOUNT_ID,
            cadenceDays: null,
            previousCadenceDays: 7,
            occurredAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('does nothing when the cadence does not change', () => {
    spec
      .given([accountOpened({ cadenceDays: 7 })])
      .when(setCadence(7), at())
      .thenNothing('unchanged');
    spec.given([accountOpened()]).when(setCadence(null), at()).thenNothing('unchanged');
  });

  it('takes whole days from 1 to 365', () => {
    for (const good of [1, 365]) {
      expect(spec.given([accountOpened()]).when(setCadence(good), at()).decision().events).toHaveLength(1);
    }
    for (const bad of [0, 366, 2.5, -1]) {
      spec.given([accountOpened()]).when(setCadence(bad), at()).thenThrows('BAD_USER_INPUT', ['cadenceDays']);
    }
  });

  it('needs an opened account', () => {
    spec.given([]).when(setCadence(7), at()).thenThrows('ACCOUNT_NOT_FOUND');
  });
});

describe('cadence, phases', () => {
  it('defaults the cadence by tier, an agreed one overriding it', () => {
    expect(DEFAULT_CADENCE_DAYS).toEqual({ STRATEGIC: 14, ENTERPRISE: 30, MIDMARKET: 45, SMB: 90 });
    expect(effectiveCadenceDays({ tier: 'SMB', cadenceDays: null })).toBe(90);
    expect(effectiveCadenceDays({ tier: 'SMB', cadenceDays: 5 })).toBe(5);
  });

  it('maps every stage to its phase', () => {
    expect(Object.fromEntries(LIFECYCLE_STAGES.map((stage) => [stage, phaseOf(stage)]))).toEqual({
      PROSPECT: 'PRE_SALES',
      DISCOVERY: 'PRE_SALES',
      PROPOSAL: 'PRE_SALES',
      ONBOARDING: 'ONBOARDING',
      ACTIVE: 'RETENTION',
      RENEWAL: 'RETENTION',
      ADVOCATE: 'RETENTION',
      LOST: 'EXITED',
      CHURNED: 'EXITED',
    });
    expect(LIFECYCLE_STAGES.filter(isExited)).toEqual(['LOST', 'CHURNED']);
  });
});
