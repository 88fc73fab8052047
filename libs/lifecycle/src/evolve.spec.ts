import type { DomainEvent } from '#eventstore';

import type { AccountEvent } from './account-event.js';
import type { OpenedAccountState } from './account-state.js';
import { decide } from './decide.js';
import { evolve, evolveAll } from './evolve.js';
import { indexGet, indexSize } from './shared/id-index.js';
import {
  accountOpened,
  ACCOUNT_ID,
  at,
  commitmentMade,
  DAY,
  iso,
  manyTouchpoints,
  NOW,
  OPENED_AT,
  recordTouchpoint,
  stageChanged,
  touchpointRecorded,
} from './testing/index.js';

// Compile-time: every event fits the event store's DomainEvent once metadata is added.
type Stored = AccountEvent & Pick<DomainEvent, 'metadata'>;
const _fits = (event: Stored): DomainEvent => event;

describe('evolve', () => {
  it('starts from null and opens the account', () => {
    expect(evolveAll([])).toBeNull();
    const state = evolveAll([accountOpened({ cadenceDays: 20 })]) as OpenedAccountState;
    expect(state).toMatchObject({
      id: ACCOUNT_ID,
      name: 'Acme',
      tier: 'ENTERPRISE',
      ownerId: 'owner-1',
      openedAt: OPENED_AT,
      stage: 'PROSPECT',
      stageEnteredAt: OPENED_AT,
      cadenceDays: 20,
      lastQualifyingTouchAt: null,
      silent: false,
      silentSince: null,
    });
  });

  it('ignores events before the opening and a second opening', () => {
    expect(evolveAll([touchpointRecorded(), stageChanged('PROSPECT', 'DISCOVERY', OPENED_AT)])).toBeNull();
    const once = evolveAll([accountOpened()]);
    expect(evolve(once, accountOpened({ name: 'Other' }))).toBe(once);
  });

  it('ignores unknown and malformed events without throwing', () => {
    const state = evolveAll([accountOpened()]);
    for (const odd of [
      { type: 'SomethingNew', data: {} },
      { type: 'TouchpointRecorded' },
      { type: 'CommitmentFulfilled', data: null },
      { type: 'CommitmentFulfilled', data: { commitmentId: 'unknown' } },
      null,
    ]) {
      expect(evolve(state, odd as unknown as AccountEvent)).toEqual(state);
    }
  });

  it('tracks stage, owner, cadence and the last qualifying touch', () => {
    const state = evolveAll([
      accountOpened(),
      stageChanged('PROSPECT', 'DISCOVERY', iso(OPENED_AT, DAY)),
      {
        type: 'AccountOwnerAssigned',
        data: { accountId: ACCOUNT_ID, ownerId: 'o2', previousOwnerId: 'owner-1', occurredAt: OPENED_AT },
      },
      {
        type: 'AccountCadenceSet',
        data: { accountId: ACCOUNT_ID, cadenceDays: 9, previousCadenceDays: null, occurredAt: OPENED_AT },
      },
      touchpointRecorded({ touchpointId: 'a', occurredAt: iso(NOW, -3 * DAY) }),
      touchpointRecorded({ touchpointId: 'b', occurredAt: iso(NOW, -DAY), qualifying: false }),
      touchpointRecorded({ touchpointId: 'c', occurredAt: iso(NOW, -5 * DAY) }),
    ]) as OpenedAccountState;
    expect(state).toMatchObject({
      stage: 'DISCOVERY',
      stageEnteredAt: iso(OPENED_AT, DAY),
      ownerId: 'o2',
      cadenceDays: 9,
      lastQualifyingTouchAt: iso(NOW, -3 * DAY),
    });
    expect(state.stageHistory).toEqual([
      { stage: 'PROSPECT', enteredAt: OPENED_AT },
      { stage: 'DISCOVERY', enteredAt: iso(OPENED_AT, DAY) },
    ]);
    expect(indexSize(state.touchpoints)).toBe(3);
  });

  it('keeps every idempotency key, with JSON-serializable state that decides the same after a round trip', () => {
    const events = [accountOpened(), ...manyTouchpoints(5000), commitmentMade(), touchpointRecorded()];
    const state = evolveAll(events) as OpenedAccountState;
    expect(indexSize(state.touchpoints)).toBe(5001);
    expect(indexGet(state.commitments, 'c-1')).toMatchObject({ status: 'OPEN', renegotiations: 0 });
    const revived = JSON.parse(JSON.stringify(state));
    expect(revived).toEqual(state);
    // The round-tripped state decides like the folded one.
    expect(decide(recordTouchpoint(), revived, at()).outcome).toBe('duplicate');
    expect(() => decide(recordTouchpoint({ summary: 'changed' }), revived, at())).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY_CONFLICT' }),
    );
    expect(indexGet(revived.touchpoints, 'bulk-4999')).toBe(indexGet(state.touchpoints, 'bulk-4999'));
  });

  it('does not mutate the state it is given', () => {
    const state = evolveAll([accountOpened()]);
    const frozen = JSON.stringify(state);
    evolve(state, touchpointRecorded());
    evolve(state, commitmentMade());
    expect(JSON.stringify(state)).toBe(frozen);
  });
});
