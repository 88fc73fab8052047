import type { AccountEvent } from '../account-event.js';
import type { OpenedAccountState } from '../account-state.js';
import { indexGet } from '../shared/id-index.js';
import type { CommitmentStatus } from './commitment-status.enum.js';
import {
  accountOpened,
  ACCOUNT_ID,
  at,
  commitmentMade,
  DAY,
  iso,
  makeCommitment,
  manyTouchpoints,
  MINUTE,
  NOW,
  spec,
  stageChanged,
} from '../testing/index.js';

const MADE_AT = iso(NOW, -10 * DAY);
const DUE_AT = iso(NOW, 10 * DAY);
const opened = [accountOpened()];
const made = [...opened, commitmentMade()];
const ids = { accountId: ACCOUNT_ID, commitmentId: 'c-1' };

const fulfil = (fulfilledAt?: string) => ({
  type: 'FulfilCommitment' as const,
  data: { ...ids, fulfilledAt },
});
const renegotiate = (newDueAt: string, reason = 'customer asked') => ({
  type: 'RenegotiateCommitment' as const,
  data: { ...ids, newDueAt, reason },
});
const cancel = (reason = 'no longer needed') => ({
  type: 'CancelCommitment' as const,
  data: { ...ids, reason },
});
const recordMissed = () => ({ type: 'RecordCommitmentMissed' as const, data: { ...ids } });

const missed = (occurredAt = iso(DUE_AT, 1)) => ({
  type: 'CommitmentMissed' as const,
  data: { ...ids, dueAt: DUE_AT, occurredAt },
});
const fulfilled = (fulfilledAt: string, onTime: boolean, lateAfterMissed = false, dueAt = DUE_AT) => ({
  type: 'CommitmentFulfilled' as const,
  data: { ...ids, fulfilledAt, dueAt, onTime, lateAfterMissed, occurredAt: fulfilledAt },
});
const cancelled = (previousStatus: CommitmentStatus, occurredAt = NOW.toISOString()) => ({
  type: 'CommitmentCancelled' as const,
  data: { ...ids, reason: 'no longer needed', previousStatus, occurredAt },
});
const renegotiated = (
  newDueAt: string,
  previousStatus: CommitmentStatus,
  previousDueAt = DUE_AT,
  occurredAt = NOW.toISOString(),
) => ({
  type: 'CommitmentRenegotiated' as const,
  data: { ...ids, previousDueAt, newDueAt, reason: 'customer asked', previousStatus, occurredAt },
});

/** The commitment in each status, with `now` after its due date for the MISSED one. */
const inStatus: Record<CommitmentStatus, readonly AccountEvent[]> = {
  OPEN: made,
  MISSED: [...made, missed()],
  FULFILLED: [...made, fulfilled(iso(NOW, -DAY), true)],
  CANCELLED: [...made, cancelled('OPEN', iso(NOW, -DAY))],
};

describe('MakeCommitment', () => {
  it('records the commitment', () => {
    spec.given(opened).when(makeCommitment(), at()).then([commitmentMade()], 'created');
  });

  it('records every optional field', () => {
    spec
      .given(opened)
      .when(makeCommitment({ description: 'All 40 pages', touchpointId: 'tp-1' }), at())
      .then([commitmentMade({ description: 'All 40 pages', touchpointId: 'tp-1' })]);
  });

  it('defaults madeAt to now', () => {
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: undefined }), at())
      .then([commitmentMade({ madeAt: NOW.toISOString() })]);
  });

  it('takes a due date already past when importing', () => {
    const madeAt = iso(NOW, -30 * DAY);
    const dueAt = iso(NOW, -20 * DAY);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt, dueAt }), at())
      .then([commitmentMade({ madeAt, dueAt })]);
  });

  it('needs dueAt strictly after madeAt', () => {
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: MADE_AT, dueAt: MADE_AT }), at())
      .thenThrows('BAD_USER_INPUT', ['dueAt']);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: MADE_AT, dueAt: iso(MADE_AT, -1) }), at())
      .thenThrows('BAD_USER_INPUT', ['dueAt']);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: MADE_AT, dueAt: iso(MADE_AT, 1) }), at())
      .then([commitmentMade({ madeAt: MADE_AT, dueAt: iso(MADE_AT, 1) })]);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: undefined, dueAt: NOW.toISOString() }), at())
      .thenThrows('BAD_USER_INPUT', ['dueAt']);
  });

  it('takes madeAt up to 5 minutes ahead of now', () => {
    const madeAt = iso(NOW, 5 * MINUTE);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt }), at())
      .then([commitmentMade({ madeAt })]);
    spec
      .given(opened)
      .when(makeCommitment({ madeAt: iso(madeAt, 1) }), at())
      .thenThrows('BAD_USER_INPUT', ['madeAt']);
  });

  it('takes a title of 1 to 200 characters and caps the other fields', () => {
    const title = 't'.repeat(200);
    spec
      .given(opened)
      .when(makeCommitment({ title }), at())
      .then([commitmentMade({ title })]);
    spec
      .given(opened)
      .when(makeCommitment({ title: '' }), at())
      .thenThrows('BAD_USER_INPUT', ['title']);
    spec
      .given(opened)
      .when(makeCommitment({ title: 't'.repeat(201), description: 'd'.repeat(2001), ownerId: '' }), at())
      .thenThrows('BAD_USER_INPUT', ['title', 'description', 'ownerId']);
  });

  it('lists every bad field at once', () => {
    spec
      .given(opened)
      .when(
        {
          type: 'MakeCommitment',
          data: {
            commitmentId: ' ',
            accountId: '',
            title: '',
            ownerId: '',
            madeAt: 'soon',
            dueAt: undefined as never,
            touchpointId: 'x'.repeat(129),
          },
        },
        at(),
      )
      .thenThrows('BAD_USER_INPUT', [
        'commitmentId',
        'accountId',
        'title',
        'ownerId',
        'madeAt',
        'dueAt',
        'touchpointId',
      ]);
  });

  it('cannot be made on an exited account', () => {
    spec
      .given([...opened, stageChanged('PROSPECT', 'LOST', iso(NOW, -DAY), { reason: 'r' })])
      .when(makeCommitment(), at())
      .thenThrows('ACCOUNT_EXITED');
    spec
      .given([
        accountOpened({ stage: 'ACTIVE' }),
        stageChanged('ACTIVE', 'CHURNED', iso(NOW, -DAY), { reason: 'r' }),
      ])
      .when(makeCommitment(), at())
      .thenThrows('ACCOUNT_EXITED');
  });

  it('can be made again once the account is won back', () => {
    spec
      .given([
        ...opened,
        stageChanged('PROSPECT', 'LOST', iso(NOW, -2 * DAY), { reason: 'r' }),
        stageChanged('LOST', 'PROSPECT', iso(NOW, -DAY)),
      ])
      .when(makeCommitment(), at())
      .then([commitmentMade()]);
  });

  it('needs an opened account', () => {
    spec.given([]).when(makeCommitment(), at()).thenThrows('ACCOUNT_NOT_FOUND');
  });

  describe('idempotency by commitmentId', () => {
    it('reports the same commitment again as a duplicate, 1,000 events later', () => {
      spec
        .given([...made, ...manyTouchpoints(1000)])
        .when(makeCommitment(), at())
        .thenNothing('duplicate');
    });

    it('matches a retry that leaves madeAt to default, even after a renegotiation', () => {
      spec
        .given([...made, renegotiated(iso(NOW, 20 * DAY), 'OPEN')])
        .when(makeCommitment({ madeAt: undefined }), at(iso(NOW, DAY)))
        .thenNothing('duplicate');
    });

    it('stays a duplicate once the account has exited', () => {
      spec
        .given([...made, stageChanged('PROSPECT', 'LOST', iso(NOW, -DAY), { reason: 'r' })])
        .when(makeCommitment(), at())
        .thenNothing('duplicate');
    });

    it.each([
      ['title', { title: 'Other' }],
      ['description', { description: 'more' }],
      ['ownerId', { ownerId: 'owner-2' }],
      ['madeAt', { madeAt: iso(MADE_AT, 1) }],
      ['dueAt', { dueAt: iso(DUE_AT, 1) }],
      ['touchpointId', { touchpointId: 'tp-9' }],
    ] as const)('refuses the same id with a different %s, 1,000 events later', (_field, change) => {
      spec
        .given([...made, ...manyTouchpoints(1000)])
        .when(makeCommitment(change), at())
        .thenThrows('IDEMPOTENCY_CONFLICT');
    });
  });
});

describe('FulfilCommitment', () => {
  it('is on time when fulfilled before the due date', () => {
    const fulfilledAt = iso(NOW, -DAY);
    spec
      .given(made)
      .when(fulfil(fulfilledAt), at())
      .then([fulfilled(fulfilledAt, true)], 'created');
  });

  it('is on time exactly at the due date, late one ms after', () => {
    const later = at(iso(DUE_AT, DAY));
    spec
      .given(made)
      .when(fulfil(DUE_AT), later)
      .then([fulfilled(DUE_AT, true)]);
    spec
      .given(made)
      .when(fulfil(iso(DUE_AT, 1)), later)
      .then([fulfilled(iso(DUE_AT, 1), false)]);
  });

  it('defaults fulfilledAt to now', () => {
    spec
      .given(made)
      .when(fulfil(), at())
      .then([fulfilled(NOW.toISOString(), true)]);
  });

  it('keeps a MISSED commitment counted as missed and late', () => {
    const now = at(iso(DUE_AT, 2 * DAY));
    spec
      .given(inStatus.MISSED)
      .when(fulfil(iso(DUE_AT, DAY)), now)
      .then([fulfilled(iso(DUE_AT, DAY), false, true)]);
    // Even when the fulfilment is dated before the due date, once it was recorded missed.
    spec
      .given(inStatus.MISSED)
      .when(fulfil(iso(DUE_AT, -DAY)), now)
      .then([fulfilled(iso(DUE_AT, -DAY), false, true)]);
  });

  it('is a no-op when retried, a conflict with another date', () => {
    const fulfilledAt = iso(NOW, -DAY);
    spec.given(inStatus.FULFILLED).when(fulfil(fulfilledAt), at()).thenNothing('unchanged');
    spec.given(inStatus.FULFILLED).when(fulfil(), at()).thenNothing('unchanged');
    spec
      .given(inStatus.FULFILLED)
      .when(fulfil(iso(fulfilledAt, 1)), at())
      .thenThrows('INVALID_STATE');
  });

  it('cannot fulfil a cancelled commitment', () => {
    spec.given(inStatus.CANCELLED).when(fulfil(), at()).thenThrows('INVALID_STATE');
  });

  it('cannot be fulfilled before it was made, nor more than 5 minutes ahead', () => {
    spec
      .given(made)
      .when(fulfil(iso(MADE_AT, -1)), at())
      .thenThrows('BAD_USER_INPUT', ['fulfilledAt']);
    spec
      .given(made)
      .when(fulfil(MADE_AT), at())
      .then([fulfilled(MADE_AT, true)]);
    spec
      .given(made)
      .when(fulfil(iso(NOW, 5 * MINUTE + 1)), at())
      .thenThrows('BAD_USER_INPUT', ['fulfilledAt']);
  });

  it('needs the commitment and the account', () => {
    spec.given(opened).when(fulfil(), at()).thenThrows('COMMITMENT_NOT_FOUND');
    spec.given([]).when(fulfil(), at()).thenThrows('ACCOUNT_NOT_FOUND');
  });

  it('is allowed on an exited account', () => {
    spec
      .given([...made, stageChanged('PROSPECT', 'LOST', iso(NOW, -DAY), { reason: 'r' })])
      .when(fulfil(), at())
      .then([fulfilled(NOW.toISOString(), true)]);
  });
});

describe('RenegotiateCommitment', () => {
  const newDueAt = iso(NOW, 30 * DAY);

  it('moves an OPEN commitment to a new date', () => {
    spec
      .given(made)
      .when(renegotiate(newDueAt), at())
      .then([renegotiated(newDueAt, 'OPEN')], 'created');
  });

  it('reopens a MISSED commitment with the new date', () => {
    const now = iso(DUE_AT, DAY);
    spec
      .given(inStatus.MISSED)
      .when(renegotiate(iso(now, DAY)), at(now))
      .then([renegotiated(iso(now, DAY), 'MISSED', DUE_AT, now)]);
  });

  it('counts renegotiations, reopens and moves the due date in the state', () => {
    const { state } = spec
      .given([
        ...inStatus.MISSED,
        renegotiated(iso(DUE_AT, 5 * DAY), 'MISSED'),
        renegotiated(iso(DUE_AT, 9 * DAY), 'OPEN', iso(DUE_AT, 5 * DAY)),
      ])
      .when(recordMissed(), at())
      .decision();
    expect(indexGet((state as OpenedAccountState).commitments, 'c-1')).toEqual({
      fingerprint: expect.any(String),
      madeAt: MADE_AT,
      dueAt: iso(DUE_AT, 9 * DAY),
      status: 'OPEN',
      fulfilledAt: null,
      renegotiations: 2,
    });
  });

  it('needs a new date strictly after now', () => {
    spec.given(made).when(renegotiate(NOW.toISOString()), at()).thenThrows('BAD_USER_INPUT', ['newDueAt']);
    spec
      .given(made)
      .when(renegotiate(iso(NOW, -DAY)), at())
      .thenThrows('BAD_USER_INPUT', ['newDueAt']);
    spec
      .given(made)
      .when(renegotiate(iso(NOW, 1)), at())
      .then([renegotiated(iso(NOW, 1), 'OPEN')]);
  });

  it('needs a new date after madeAt too', () => {
    spec
      .given([...opened, commitmentMade({ madeAt: iso(NOW, 4 * MINUTE), dueAt: iso(NOW, DAY) })])
      .when(renegotiate(iso(NOW, 3 * MINUTE)), at())
      .thenThrows('BAD_USER_INPUT', ['newDueAt']);
  });

  it('is a no-op when the OPEN commitment already has that date', () => {
    spec.given(made).when(renegotiate(DUE_AT), at()).thenNothing('unchanged');
    spec
      .given([...made, renegotiated(newDueAt, 'OPEN')])
      .when(renegotiate(newDueAt), at())
      .thenNothing('unchanged');
  });

  it('cannot renegotiate a fulfilled or cancelled commitment', () => {
    spec.given(inStatus.FULFILLED).when(renegotiate(newDueAt), at()).thenThrows('INVALID_STATE');
    spec.given(inStatus.CANCELLED).when(renegotiate(newDueAt), at()).thenThrows('INVALID_STATE');
  });

  it('needs a reason and a valid date', () => {
    spec
      .given(made)
      .when(renegotiate('next week', ''), at())
      .thenThrows('BAD_USER_INPUT', ['newDueAt', 'reason']);
    spec
      .given(made)
      .when(renegotiate(newDueAt, 'r'.repeat(2001)), at())
      .thenThrows('BAD_USER_INPUT', ['reason']);
  });

  it('needs the commitment', () => {
    spec.given(opened).when(renegotiate(newDueAt), at()).thenThrows('COMMITMENT_NOT_FOUND');
  });
});

describe('CancelCommitment', () => {
  it('cancels an OPEN or MISSED commitment', () => {
    spec
      .given(made)
      .when(cancel(), at())
      .then([cancelled('OPEN')], 'created');
    spec
      .given(inStatus.MISSED)
      .when(cancel(), at())
      .then([cancelled('MISSED')]);
  });

  it('is a no-op on a cancelled one, refused on a fulfilled one', () => {
    spec.given(inStatus.CANCELLED).when(cancel(), at()).thenNothing('unchanged');
    spec.given(inStatus.FULFILLED).when(cancel(), at()).thenThrows('INVALID_STATE');
  });

  it('needs a reason', () => {
    spec.given(made).when(cancel(' '), at()).thenThrows('BAD_USER_INPUT', ['reason']);
    spec
      .given(made)
      .when(cancel('r'.repeat(2001)), at())
      .thenThrows('BAD_USER_INPUT', ['reason']);
  });

  it('needs the commitment', () => {
    spec.given(opened).when(cancel(), at()).thenThrows('COMMITMENT_NOT_FOUND');
  });
});

describe('RecordCommitmentMissed', () => {
  it('records an OPEN commitment past its due date as missed', () => {
    const now = iso(DUE_AT, 1);
    spec
      .given(made)
      .when(recordMissed(), at(now))
      .then([missed(now)], 'created');
  });

  it('does nothing exactly at the due date or before', () => {
    spec.given(made).when(recordMissed(), at(DUE_AT)).thenNothing('unchanged');
    spec.given(made).when(recordMissed(), at()).thenNothing('unchanged');
  });

  it.each(['MISSED', 'FULFILLED', 'CANCELLED'] as const)('does nothing when %s', (status) => {
    spec
      .given(inStatus[status])
      .when(recordMissed(), at(iso(DUE_AT, DAY)))
      .thenNothing('unchanged');
  });

  it('uses the renegotiated due date', () => {
    const newDueAt = iso(DUE_AT, 5 * DAY);
    const given = spec.given([...made, renegotiated(newDueAt, 'OPEN')]);
    given.when(recordMissed(), at(iso(DUE_AT, DAY))).thenNothing('unchanged');
    given
      .when(recordMissed(), at(iso(newDueAt, 1)))
      .then([{ type: 'CommitmentMissed', data: { ...ids, dueAt: newDueAt, occurredAt: iso(newDueAt, 1) } }]);
  });

  it('needs the commitment', () => {
    spec.given(opened).when(recordMissed(), at()).thenThrows('COMMITMENT_NOT_FOUND');
    spec.given([]).when(recordMissed(), at()).thenThrows('ACCOUNT_NOT_FOUND');
  });
});
