import { openingFingerprintOf } from './account/account-opening.content.js';
import { isExited } from './account/lifecycle-phase.enum.js';
import type { AccountEvent } from './account-event.js';
import type { AccountState, CommitmentRecord, OpenedAccountState } from './account-state.js';
import { commitmentFingerprintOf } from './commitments/commitment.content.js';
import { EMPTY_ID_INDEX, indexGet, indexSet } from './shared/id-index.js';
import { ms } from './shared/instant.js';
import { touchpointFingerprintOf } from './touchpoints/touchpoint.content.js';

/**
 * Folds one event into the state. Pure and total: it never throws, and events it does not
 * know (or that make no sense for the state, e.g. anything before AccountOpened) leave the
 * state as it is.
 */
export function evolve(state: AccountState, event: AccountEvent): AccountState {
  if (!isEventShaped(event)) return state;
  if (event.type === 'AccountOpened') return state ?? opened(event.data);
  if (state === null) return state;
  switch (event.type) {
    case 'LifecycleStageChanged': {
      const { to, occurredAt } = event.data;
      const exits = isExited(to);
      return {
        ...state,
        stage: to,
        stageEnteredAt: occurredAt,
        stageHistory: [...state.stageHistory, { stage: to, enteredAt: occurredAt }],
        // EXITED accounts are never silent.
        silent: exits ? false : state.silent,
        silentSince: exits ? null : state.silentSince,
      };
    }
    case 'AccountOwnerAssigned':
      return { ...state, ownerId: event.data.ownerId };
    case 'AccountCadenceSet':
      return { ...state, cadenceDays: event.data.cadenceDays };
    case 'TouchpointRecorded': {
      const { touchpointId, qualifying, occurredAt } = event.data;
      const last = state.lastQualifyingTouchAt;
      return {
        ...state,
        touchpoints: indexSet(state.touchpoints, touchpointId, touchpointFingerprintOf(event.data)),
        lastQualifyingTouchAt: qualifying && (last === null || ms(occurredAt) > ms(last)) ? occurredAt : last,
      };
    }
    case 'CommitmentMade': {
      const { commitmentId, madeAt, dueAt } = event.data;
      return withCommitment(state, commitmentId, {
        fingerprint: commitmentFingerprintOf(event.data),
        madeAt,
        dueAt,
        status: 'OPEN',
        fulfilledAt: null,
        renegotiations: 0,
      });
    }
    case 'CommitmentFulfilled':
      return updateCommitment(state, event.data.commitmentId, (commitment) => ({
        ...commitment,
        status: 'FULFILLED',
        fulfilledAt: event.data.fulfilledAt,
      }));
    case 'CommitmentRenegotiated':
      return updateCommitment(state, event.data.commitmentId, (commitment) => ({
        ...commitment,
        status: 'OPEN',
        dueAt: event.data.newDueAt,
        renegotiations: commitment.renegotiations + 1,
      }));
    case 'CommitmentCancelled':
      return updateCommitment(state, event.data.commitmentId, (commitment) => ({
        ...commitment,
        status: 'CANCELLED',
      }));
    case 'CommitmentMissed':
      return updateCommitment(state, event.data.commitmentId, (commitment) => ({
        ...commitment,
        status: 'MISSED',
      }));
    case 'AccountWentSilent':
      return { ...state, silent: true, silentSince: event.data.silentSince };
    case 'AccountReEngaged':
      return { ...state, silent: false, silentSince: null };
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

/** Folds a whole stream, oldest first. */
export function evolveAll(events: Iterable<AccountEvent>, state: AccountState = null): AccountState {
  let current = state;
  for (const event of events) current = evolve(current, event);
  return current;
}

function opened(data: Extract<AccountEvent, { type: 'AccountOpened' }>['data']): OpenedAccountState {
  return {
    id: data.accountId,
    name: data.name,
    tier: data.tier,
    ownerId: data.ownerId,
    openedAt: data.openedAt,
    stage: data.stage,
    stageEnteredAt: data.openedAt,
    stageHistory: [{ stage: data.stage, enteredAt: data.openedAt }],
    cadenceDays: data.cadenceDays,
    lastQualifyingTouchAt: null,
    silent: false,
    silentSince: null,
    openingFingerprint: openingFingerprintOf(data),
    touchpoints: EMPTY_ID_INDEX,
    commitments: EMPTY_ID_INDEX,
  };
}

function withCommitment(
  state: OpenedAccountState,
  commitmentId: string,
  commitment: CommitmentRecord,
): OpenedAccountState {
  return { ...state, commitments: indexSet(state.commitments, commitmentId, commitment) };
}

function updateCommitment(
  state: OpenedAccountState,
  commitmentId: string,
  update: (commitment: CommitmentRecord) => CommitmentRecord,
): OpenedAccountState {
  const commitment = indexGet(state.commitments, commitmentId);
  return commitment === undefined ? state : withCommitment(state, commitmentId, update(commitment));
}

function isEventShaped(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const data = (event as { data?: unknown }).data;
  return typeof data === 'object' && data !== null;
}
