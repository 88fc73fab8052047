import { randomUUID } from 'node:crypto';

import type { AllStreamDomainEvent } from '#eventstore';
import {
  isQualifyingTouch,
  type AccountEvent,
  type Channel,
  type Direction,
  type LifecycleStage,
} from '#lifecycle';

/** Builders of account events with plausible defaults; `at` is business time. */
export const events = {
  opened: (
    accountId: string,
    at: string,
    extra: Partial<Extract<AccountEvent, { type: 'AccountOpened' }>['data']> = {},
  ) =>
    ({
      type: 'AccountOpened',
      data: {
        accountId,
        name: `Account ${accountId}`,
        tier: 'ENTERPRISE',
        ownerId: 'owner-1',
        stage: 'PROSPECT',
        openedAt: at,
        cadenceDays: null,
        occurredAt: at,
        ...extra,
      },
    }) satisfies AccountEvent,
  stageChanged: (
    accountId: string,
    from: LifecycleStage,
    to: LifecycleStage,
    at: string,
    reason: string | null = null,
    lessons: string | null = null,
  ) =>
    ({
      type: 'LifecycleStageChanged',
      data: { accountId, from, to, reason, lessons, occurredAt: at },
    }) satisfies AccountEvent,
  ownerAssigned: (accountId: string, ownerId: string, previousOwnerId: string, at: string) =>
    ({
      type: 'AccountOwnerAssigned',
      data: { accountId, ownerId, previousOwnerId, occurredAt: at },
    }) satisfies AccountEvent,
  cadenceSet: (
    accountId: string,
    cadenceDays: number | null,
    previousCadenceDays: number | null,
    at: string,
  ) =>
    ({
      type: 'AccountCadenceSet',
      data: { accountId, cadenceDays, previousCadenceDays, occurredAt: at },
    }) satisfies AccountEvent,
  touchpoint: (
    accountId: string,
    touchpointId: string,
    at: string,
    extra: {
      channel?: Channel;
      direction?: Direction;
      pillar?: 'DISCOVERY' | 'SERVICE' | 'ENGAGEMENT';
      sentiment?: 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE' | null;
      stage?: LifecycleStage;
      momentOfTruth?: boolean;
    } = {},
  ) => {
    const channel = extra.channel ?? 'CALL';
    const direction = extra.direction ?? 'OUTBOUND';
    return {
      type: 'TouchpointRecorded',
      data: {
        accountId,
        touchpointId,
        occurredAt: at,
        channel,
        direction,
        pillar: extra.pillar ?? 'ENGAGEMENT',
        sentiment: extra.sentiment ?? null,
        momentOfTruth: extra.momentOfTruth ?? false,
        summary: `touch ${touchpointId}`,
        actorId: 'am-1',
        participants: ['alice@example.com', 'bob@example.com'],
        source: 'manual',
        externalRef: null,
        stage: extra.stage ?? 'PROSPECT',
        qualifying: isQualifyingTouch({ channel, direction }),
      },
    } satisfies AccountEvent;
  },
  commitmentMade: (accountId: string, commitmentId: string, madeAt: string, dueAt: string) =>
    ({
      type: 'CommitmentMade',
      data: {
        accountId,
        commitmentId,
        title: `Promise ${commitmentId}`,
        description: null,
        ownerId: 'owner-1',
        madeAt,
        dueAt,
        touchpointId: null,
        occurredAt: madeAt,
      },
    }) satisfies AccountEvent,
  fulfilled: (
    accountId: string,
    commitmentId: string,
    fulfilledAt: string,
    dueAt: string,
    lateAfterMissed = false,
  ) =>
    ({
      type: 'CommitmentFulfilled',
      data: {
        accountId,
        commitmentId,
        fulfilledAt,
        dueAt,
        onTime: !lateAfterMissed && Date.parse(fulfilledAt) <= Date.parse(dueAt),
        lateAfterMissed,
        occurredAt: fulfilledAt,
      },
    }) satisfies AccountEvent,
  renegotiated: (
    accountId: string,
    commitmentId: string,
    previousDueAt: string,
    newDueAt: string,
    at: string,
  ) =>
    ({
      type: 'CommitmentRenegotiated',
      data: {
        accountId,
        commitmentId,
        previousDueAt,
        newDueAt,
        reason: 'customer asked',
        previousStatus: 'OPEN',
        occurredAt: at,
      },
    }) satisfies AccountEvent,
  cancelled: (accountId: string, commitmentId: string, at: string) =>
    ({
      type: 'CommitmentCancelled',
      data: { accountId, commitmentId, reason: 'no longer needed', previousStatus: 'OPEN', occurredAt: at },
    }) satisfies AccountEvent,
  missed: (accountId: string, commitmentId: string, dueAt: string, at: string) =>
    ({
      type: 'CommitmentMissed',
      data: { accountId, commitmentId, dueAt, occurredAt: at },
    }) satisfies AccountEvent,
  wentSilent: (accountId: string, silentSince: string, cadenceDays: number, at: string) =>
    ({
      type: 'AccountWentSilent',
      data: { accountId, silentSince, cadenceDays, occurredAt: at },
    }) satisfies AccountEvent,
  reEngaged: (
    accountId: string,
    touchpointId: string,
    silentSince: string,
    silentForDays: number,
    at: string,
  ) =>
    ({
      type: 'AccountReEngaged',
      data: { accountId, touchpointId, silentSince, silentForDays, occurredAt: at },
    }) satisfies AccountEvent,
};

/** Days after 2026-01-01 as an ISO instant. */
export const day = (n: number): string => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString();

/**
 * Wraps events as the subscription hands them (for calling `applyBatch` directly), with
 * growing positions and revisions per stream.
 */
export function recorded(list: readonly AccountEvent[], firstCommit = 1n): AllStreamDomainEvent[] {
  const revisions = new Map<string, bigint>();
  return list.map((event, i) => {
    const streamName = `account-${event.data.accountId}`;
    const revision = revisions.get(streamName) ?? 0n;
    revisions.set(streamName, revision + 1n);
    const commit = firstCommit + BigInt(i) * 100n;
    return {
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: { correlationId: 'c', causationId: 'c', principal: 'system:test', schemaVersion: 1 },
      streamName,
      revision,
      position: { commit, prepare: commit },
      created: new Date(Date.UTC(2026, 5, 1) + i * 1000),
    } as unknown as AllStreamDomainEvent;
  });
}

/** A plausible history for `accounts` accounts, `perAccount` events each (for volume tests). */
export function generatedHistory(accounts: number, perAccount: number, prefix = 'acc'): AccountEvent[][] {
  const histories: AccountEvent[][] = [];
  for (let a = 0; a < accounts; a++) {
    const id = `${prefix}-${a}`;
    const list: AccountEvent[] = [
      events.opened(id, day(0), { tier: (['STRATEGIC', 'SMB', 'MIDMARKET'] as const)[a % 3] }),
    ];
    let stage: LifecycleStage = 'PROSPECT';
    const stagePath: LifecycleStage[] = ['DISCOVERY', 'PROPOSAL', 'ONBOARDING', 'ACTIVE', 'RENEWAL'];
    let openCommitment: { id: string; due: string } | undefined;
    for (let i = 1; list.length < perAccount; i++) {
      const at = day(i);
      switch (i % 7) {
        case 0: {
          const next: LifecycleStage =
            stagePath[Math.min(stagePath.length - 1, stagePath.indexOf(stage as never) + 1)];
          if (next !== stage) {
            list.push(events.stageChanged(id, stage, next, at));
            stage = next;
          }
          break;
        }
        case 3:
          if (openCommitment === undefined) {
            openCommitment = { id: `${id}-c${i}`, due: day(i + 5) };
            list.push(events.commitmentMade(id, openCommitment.id, at, openCommitment.due));
          } else {
            list.push(
              i % 2 === 0
                ? events.fulfilled(id, openCommitment.id, at, openCommitment.due)
                : events.missed(id, openCommitment.id, openCommitment.due, at),
            );
            openCommitment = undefined;
          }
          break;
        default:
          list.push(
            events.touchpoint(id, `${id}-t${i}`, at, {
              stage,
              channel: i % 5 === 0 ? 'INTERNAL_NOTE' : 'EMAIL',
              pillar: (['DISCOVERY', 'SERVICE', 'ENGAGEMENT'] as const)[i % 3],
              sentiment: (['POSITIVE', 'NEUTRAL', null, 'NEGATIVE'] as const)[i % 4],
            }),
          );
      }
    }
    histories.push(list);
  }
  return histories;
}
