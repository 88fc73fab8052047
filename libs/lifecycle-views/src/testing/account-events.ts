// For tests only: not exported from the library's index.
import {
  type AccountEvent,
  type AccountOpened,
  type CommitmentMade,
  isQualifyingTouch,
  type LifecycleStage,
  type LifecycleStageChanged,
  type TouchpointRecorded,
} from '#lifecycle';

import type { RecordedAccountEvent } from '../account/account.view.js';

export const ACCOUNT_ID = 'acme-1';
export const DAY = 86_400_000;

/** `base` moved by `ms` milliseconds. */
export function shift(base: Date | string, ms: number): Date {
  return new Date(new Date(base).getTime() + ms);
}

export function daysBefore(now: Date, days: number): Date {
  return shift(now, -days * DAY);
}

export function accountOpened(data: Partial<AccountOpened['data']> = {}): AccountOpened {
  const openedAt = data.openedAt ?? '2025-01-01T00:00:00.000Z';
  return {
    type: 'AccountOpened',
    data: {
      accountId: ACCOUNT_ID,
      name: 'Acme',
      tier: 'ENTERPRISE',
      ownerId: 'owner-1',
      stage: 'PROSPECT',
      openedAt,
      cadenceDays: null,
      occurredAt: openedAt,
      ...data,
    },
  };
}

export function stageChanged(
  from: LifecycleStage,
  to: LifecycleStage,
  occurredAt: string,
  extra: Partial<LifecycleStageChanged['data']> = {},
): LifecycleStageChanged {
  return {
    type: 'LifecycleStageChanged',
    data: { accountId: ACCOUNT_ID, from, to, reason: null, lessons: null, occurredAt, ...extra },
  };
}

export function touchpointRecorded(
  touchpointId: string,
  occurredAt: string,
  data: Partial<TouchpointRecorded['data']> = {},
): TouchpointRecorded {
  const channel = data.channel ?? 'CALL';
  const direction = data.direction ?? 'OUTBOUND';
  return {
    type: 'TouchpointRecorded',
    data: {
      accountId: ACCOUNT_ID,
      touchpointId,
      occurredAt,
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: 'ENGAGEMENT',
      sentiment: null,
      momentOfTruth: false,
      summary: null,
      actorId: null,
      participants: [],
      source: 'manual',
      externalRef: null,
      stage: 'PROSPECT',
      qualifying: isQualifyingTouch({ channel, direction }),
      ...data,
    },
  };
}

export function commitmentMade(
  commitmentId: string,
  madeAt: string,
  dueAt: string,
  data: Partial<CommitmentMade['data']> = {},
): CommitmentMade {
  return {
    type: 'CommitmentMade',
    data: {
      accountId: ACCOUNT_ID,
      commitmentId,
      title: `Promise ${commitmentId}`,
      description: null,
      ownerId: 'owner-1',
      madeAt,
      dueAt,
      touchpointId: null,
      occurredAt: madeAt,
      ...data,
    },
  };
}

export function commitmentMissed(commitmentId: string, dueAt: string, occurredAt: string): AccountEvent {
  return { type: 'CommitmentMissed', data: { accountId: ACCOUNT_ID, commitmentId, dueAt, occurredAt } };
}

export function commitmentFulfilled(
  commitmentId: string,
  fulfilledAt: string,
  dueAt: string,
  lateAfterMissed = false,
): AccountEvent {
  const onTime = !lateAfterMissed && Date.parse(fulfilledAt) <= Date.parse(dueAt);
  return {
    type: 'CommitmentFulfilled',
    data: {
      accountId: ACCOUNT_ID,
      commitmentId,
      fulfilledAt,
      dueAt,
      onTime,
      lateAfterMissed,
      occurredAt: fulfilledAt,
    },
  };
}

export function commitmentRenegotiated(
  commitmentId: string,
  previousDueAt: string,
  newDueAt: string,
  occurredAt: string,
  previousStatus: 'OPEN' | 'MISSED' = 'OPEN',
): AccountEvent {
  return {
    type: 'CommitmentRenegotiated',
    data: {
      accountId: ACCOUNT_ID,
      commitmentId,
      previousDueAt,
      newDueAt,
      reason: 'customer asked for more time',
      previousStatus,
      occurredAt,
    },
  };
}

export function commitmentCancelled(
  commitmentId: string,
  occurredAt: string,
  previousStatus: 'OPEN' | 'MISSED' = 'OPEN',
): AccountEvent {
  return {
    type: 'CommitmentCancelled',
    data: { accountId: ACCOUNT_ID, commitmentId, reason: 'no longer needed', previousStatus, occurredAt },
  };
}

export function wentSilent(silentSince: string, occurredAt: string, cadenceDays = 30): AccountEvent {
  return { type: 'AccountWentSilent', data: { accountId: ACCOUNT_ID, silentSince, cadenceDays, occurredAt } };
}

export function reEngaged(
  touchpointId: string,
  silentSince: string,
  silentForDays: number,
  occurredAt: string,
): AccountEvent {
  return {
    type: 'AccountReEngaged',
    data: { accountId: ACCOUNT_ID, touchpointId, silentSince, silentForDays, occurredAt },
  };
}

/**
 * A stream under construction: each event gets the next revision, an id, and a recordedAt
 * (its business time unless given: a backfill is recorded after its business time).
 */
export class StreamScript {
  private readonly recorded: RecordedAccountEvent[] = [];

  add(event: AccountEvent, recordedAt: string = event.data.occurredAt): this {
    const revision = BigInt(this.recorded.length);
    this.recorded.push({ event, recordedAt: new Date(recordedAt), eventId: `ev-${revision}`, revision });
    return this;
  }

  get events(): RecordedAccountEvent[] {
    return [...this.recorded];
  }
}
