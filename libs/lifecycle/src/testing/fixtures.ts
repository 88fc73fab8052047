import type { AccountOpened, LifecycleStageChanged } from '../account/account.events.js';
import type { ChangeStage, OpenAccount } from '../account/account.commands.js';
import type { LifecycleStage } from '../account/lifecycle-stage.enum.js';
import { accountDecider } from '../account.decider.js';
import type { MakeCommitment } from '../commitments/commitment.commands.js';
import type { CommitmentMade } from '../commitments/commitment.events.js';
import type { DecideContext } from '../decision.js';
import type { RecordTouchpoint } from '../touchpoints/touchpoint.commands.js';
import type { TouchpointRecorded } from '../touchpoints/touchpoint.events.js';
import { DeciderSpecification } from './decider-spec.js';

export const spec = DeciderSpecification.for(accountDecider);

export const ACCOUNT_ID = 'acme-1';
export const OPENED_AT = '2025-01-01T00:00:00.000Z';
export const NOW = new Date('2025-06-01T12:00:00.000Z');
export const MINUTE = 60_000;
export const DAY = 86_400_000;

/** `base` moved by `ms` milliseconds, as an ISO string. */
export function iso(base: Date | string, ms = 0): string {
  return new Date(new Date(base).getTime() + ms).toISOString();
}

export function at(now: Date | string = NOW): DecideContext {
  return { now: new Date(now) };
}

export function openAccount(data: Partial<OpenAccount['data']> = {}): OpenAccount {
  return {
    type: 'OpenAccount',
    data: {
      id: ACCOUNT_ID,
      name: 'Acme',
      tier: 'ENTERPRISE',
      ownerId: 'owner-1',
      openedAt: OPENED_AT,
      ...data,
    },
  };
}

export function accountOpened(data: Partial<AccountOpened['data']> = {}): AccountOpened {
  const openedAt = data.openedAt ?? OPENED_AT;
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

export function changeStage(data: Partial<ChangeStage['data']> & { to: LifecycleStage }): ChangeStage {
  return { type: 'ChangeStage', data: { accountId: ACCOUNT_ID, ...data } };
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

export function recordTouchpoint(data: Partial<RecordTouchpoint['data']> = {}): RecordTouchpoint {
  return {
    type: 'RecordTouchpoint',
    data: {
      touchpointId: 'tp-1',
      accountId: ACCOUNT_ID,
      occurredAt: iso(NOW, -DAY),
      channel: 'CALL',
      direction: 'OUTBOUND',
      pillar: 'ENGAGEMENT',
      source: 'manual',
      ...data,
    },
  };
}

export function touchpointRecorded(data: Partial<TouchpointRecorded['data']> = {}): TouchpointRecorded {
  return {
    type: 'TouchpointRecorded',
    data: {
      accountId: ACCOUNT_ID,
      touchpointId: 'tp-1',
      occurredAt: iso(NOW, -DAY),
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
      qualifying: true,
      ...data,
    },
  };
}

export function makeCommitment(data: Partial<MakeCommitment['data']> = {}): MakeCommitment {
  return {
    type: 'MakeCommitment',
    data: {
      commitmentId: 'c-1',
      accountId: ACCOUNT_ID,
      title: 'Send the security questionnaire',
      ownerId: 'owner-1',
      madeAt: iso(NOW, -10 * DAY),
      dueAt: iso(NOW, 10 * DAY),
      ...data,
    },
  };
}

export function commitmentMade(data: Partial<CommitmentMade['data']> = {}): CommitmentMade {
  const madeAt = data.madeAt ?? iso(NOW, -10 * DAY);
  return {
    type: 'CommitmentMade',
    data: {
      accountId: ACCOUNT_ID,
      commitmentId: 'c-1',
      title: 'Send the security questionnaire',
      description: null,
      ownerId: 'owner-1',
      madeAt,
      dueAt: iso(NOW, 10 * DAY),
      touchpointId: null,
      occurredAt: madeAt,
      ...data,
    },
  };
}

/** `count` distinct touchpoints, one a minute after `from`, for "at any distance" tests. */
export function manyTouchpoints(count: number, from = OPENED_AT): TouchpointRecorded[] {
  return Array.from({ length: count }, (_, i) =>
    touchpointRecorded({ touchpointId: `bulk-${i}`, occurredAt: iso(from, (i + 1) * MINUTE) }),
  );
}
