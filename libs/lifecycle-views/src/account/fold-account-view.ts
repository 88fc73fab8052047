import {
  type AccountEvent,
  type AccountOpened,
  effectiveCadenceDays,
  isExited,
  type LifecycleStage,
  phaseOf,
  type Tier,
} from '#lifecycle';

import { commitmentStats } from '../commitments/commitment-stats.js';
import type { CommitmentView } from '../commitments/commitment.view.js';
import { computeHealth } from '../health/compute-health.js';
import { healthInputFrom } from '../health/health-input.builders.js';
import type { OpenAlertFacts } from '../shared/alert-severity.js';
import { wholeDaysBetween } from '../shared/time-window.js';
import { DEFAULT_PILLAR_WINDOW_DAYS, pillarBalance } from '../touchpoints/pillar-balance.js';
import type { TouchpointView } from '../touchpoints/touchpoint.view.js';
import type { AccountView, RecordedAccountEvent, StageVisitView, TimelineEntryView } from './account.view.js';
import { summarizeEvent } from './timeline-summary.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The fold's working state: mutated in place, so each event costs O(1). */
type Draft = {
  id: string;
  name: string;
  tier: Tier;
  ownerId: string;
  openedAt: Date;
  stage: LifecycleStage;
  stageEnteredAt: Date;
  visits: Mutable<StageVisitView>[];
  agreedCadenceDays: number | null;
  lastTouchpointAt: Date | null;
  lastQualifyingTouchAt: Date | null;
  silent: boolean;
  silentSince: Date | null;
  touchpoints: Map<string, TouchpointView>;
  commitments: Map<string, Mutable<CommitmentView>>;
  timeline: TimelineEntryView[];
  revision: bigint;
};

/** What one event concerns, for its timeline entry; null when it changed nothing. */
type Concerns = { touchpoint: TouchpointView | null; commitment: CommitmentView | null };
const NOTHING: Concerns = { touchpoint: null, commitment: null };

/**
 * The account as the service knew it at `asOf`: only events recorded at or before `asOf`
 * count (the caller may pass the whole stream), whatever their business time, so a backfill
 * recorded later does not rewrite the past. Health, stats and day counts are computed for
 * `asOf`. `openAlerts` are the alerts open at `asOf` (their own streams; the caller folds them).
 * Null when the account was not opened yet. O(events), plus a sort of the timeline and the
 * touchpoints by business time (linear when they arrive in order, as they usually do).
 */
export function foldAccountView<A extends OpenAlertFacts = OpenAlertFacts>(
  events: readonly RecordedAccountEvent[],
  asOf: Date,
  openAlerts: readonly A[] = [],
): AccountView<A> | null {
  const limit = asOf.getTime();
  let draft: Draft | null = null;
  for (const recorded of inRevisionOrder(events.filter((e) => e.recordedAt.getTime() <= limit))) {
    const { event } = recorded;
    if (draft === null) {
      if (event.type !== 'AccountOpened') continue;
      draft = opened(event.data);
    }
    const concerns = event.type === 'AccountOpened' ? NOTHING : apply(draft, event, recorded);
    draft.revision = recorded.revision;
    if (concerns === null) continue;
    const commitments = draft.commitments;
    draft.timeline.push({
      id: recorded.eventId,
      type: event.type,
      occurredAt: new Date(event.data.occurredAt),
      recordedAt: recorded.recordedAt,
      revision: recorded.revision,
      summary: summarizeEvent(event, {
        tier: draft.tier,
        commitmentTitle: (id) => commitments.get(id)?.title,
      }),
      ...concerns,
    });
  }
  return draft === null ? null : viewOf(draft, asOf, openAlerts);
}

function opened(data: AccountOpened['data']): Draft {
  const openedAt = new Date(data.openedAt);
  return {
    id: data.accountId,
    name: data.name,
    tier: data.tier,
    ownerId: data.ownerId,
    openedAt,
    stage: data.stage,
    stageEnteredAt: openedAt,
    visits: [{ stage: data.stage, enteredAt: openedAt, exitedAt: null, reason: null, lessons: null }],
    agreedCadenceDays: data.cadenceDays,
    lastTouchpointAt: null,
    lastQualifyingTouchAt: null,
    silent: false,
    silentSince: null,
    touchpoints: new Map(),
    commitments: new Map(),
    timeline: [],
    revision: 0n,
  };
}

/** Mirrors #lifecycle's evolve for what the views show. */
function apply(draft: Draft, event: AccountEvent, recorded: RecordedAccountEvent): Concerns | null {
  switch (event.type) {
    case 'AccountOpened':
      return NOTHING;
    case 'LifecycleStageChanged': {
      const { to, reason, lessons } = event.data;
      const at = new Date(event.data.occurredAt);
      const current = draft.visits[draft.visits.length - 1];
      if (current !== undefined) current.exitedAt = at;
      draft.visits.push({ stage: to, enteredAt: at, exitedAt: null, reason, lessons });
      draft.stage = to;
      draft.stageEnteredAt = at;
      // EXITED accounts are never silent.
      if (isExited(to)) {
        draft.silent = false;
        draft.silentSince = null;
      }
      return NOTHING;
    }
    case 'AccountOwnerAssigned':
      draft.ownerId = event.data.ownerId;
      return NOTHING;
    case 'AccountCadenceSet':
      draft.agreedCadenceDays = event.data.cadenceDays;
      return NOTHING;
    case 'TouchpointRecorded': {
      const data = event.data;
      // Ingestion is idempotent; a repeated id would be a store-level duplicate.
      if (draft.touchpoints.has(data.touchpointId)) return null;
      const touchpoint: TouchpointView = {
        id: data.touchpointId,
        accountId: data.accountId,
        occurredAt: new Date(data.occurredAt),
        recordedAt: recorded.recordedAt,
        channel: data.channel,
        direction: data.direction,
        pillar: data.pillar,
        sentiment: data.sentiment,
        momentOfTruth: data.momentOfTruth,
        stage: data.stage,
        summary: data.summary,
        actorId: data.actorId,
        participants: data.participants,
        source: data.source,
        externalRef: data.externalRef,
        qualifying: data.qualifying,
      };
      draft.touchpoints.set(touchpoint.id, touchpoint);
      draft.lastTouchpointAt = later(draft.lastTouchpointAt, touchpoint.occurredAt);
      if (touchpoint.qualifying) {
        draft.lastQualifyingTouchAt = later(draft.lastQualifyingTouchAt, touchpoint.occurredAt);
      }
      return { touchpoint, commitment: null };
    }
    case 'CommitmentMade': {
      const data = event.data;
      const commitment: Mutable<CommitmentView> = {
        id: data.commitmentId,
        accountId: data.accountId,
        title: data.title,
        description: data.description,
        ownerId: data.ownerId,
        madeAt: new Date(data.madeAt),
        dueAt: new Date(data.dueAt),
        status: 'OPEN',
        fulfilledAt: null,
        onTime: null,
        missedAt: null,
        renegotiations: 0,
      };
      if (!draft.commitments.has(commitment.id)) draft.commitments.set(commitment.id, commitment);
      return { touchpoint: null, commitment: draft.commitments.get(commitment.id) ?? null };
    }
    case 'CommitmentFulfilled':
      return updateCommitment(draft, event.data.commitmentId, (commitment) => {
        commitment.status = 'FULFILLED';
        commitment.fulfilledAt = new Date(event.data.fulfilledAt);
        commitment.onTime = event.data.onTime;
      });
    case 'CommitmentRenegotiated':
      return updateCommitment(draft, event.data.commitmentId, (commitment) => {
        commitment.status = 'OPEN';
        commitment.dueAt = new Date(event.data.newDueAt);
        commitment.missedAt = null;
        commitment.renegotiations += 1;
      });
    case 'CommitmentCancelled':
      return updateCommitment(draft, event.data.commitmentId, (commitment) => {
        commitment.status = 'CANCELLED';
      });
    case 'CommitmentMissed':
      return updateCommitment(draft, event.data.commitmentId, (commitment) => {
        commitment.status = 'MISSED';
        commitment.missedAt = new Date(event.data.occurredAt);
      });
    case 'AccountWentSilent':
      draft.silent = true;
      draft.silentSince = new Date(event.data.silentSince);
      return NOTHING;
    case 'AccountReEngaged':
      draft.silent = false;
      draft.silentSince = null;
      return { touchpoint: draft.touchpoints.get(event.data.touchpointId) ?? null, commitment: null };
    default: {
      const _exhaustive: never = event;
      // An event type this version does not know: not shown.
      return null;
    }
  }
}

function updateCommitment(
  draft: Draft,
  commitmentId: string,
  update: (commitment: Mutable<CommitmentView>) => void,
): Concerns {
  const commitment = draft.commitments.get(commitmentId);
  if (commitment === undefined) return NOTHING;
  update(commitment);
  return { touchpoint: null, commitment };
}

function viewOf<A extends OpenAlertFacts>(
  draft: Draft,
  asOf: Date,
  openAlerts: readonly A[],
): AccountView<A> {
  const cadenceDays = effectiveCadenceDays({ tier: draft.tier, cadenceDays: draft.agreedCadenceDays });
  // Recording order: it breaks ties of business time for the last sentiments.
  const recorded = [...draft.touchpoints.values()];
  const commitments = [...draft.commitments.values()];
  const health = computeHealth(
    healthInputFrom(
      {
        cadenceDays,
        openedAt: draft.openedAt,
        lastQualifyingTouchAt: draft.lastQualifyingTouchAt,
        commitments,
        touchpoints: recorded,
        openAlerts,
      },
      asOf,
    ),
    asOf,
  );
  return {
    asOf,
    revision: draft.revision,
    id: draft.id,
    name: draft.name,
    tier: draft.tier,
    ownerId: draft.ownerId,
    openedAt: draft.openedAt,
    stage: draft.stage,
    phase: phaseOf(draft.stage),
    stageEnteredAt: draft.stageEnteredAt,
    daysInStage: wholeDaysBetween(draft.stageEnteredAt, asOf),
    stageHistory: draft.visits,
    cadenceDays,
    lastTouchpointAt: draft.lastTouchpointAt,
    lastQualifyingTouchAt: draft.lastQualifyingTouchAt,
    daysSinceLastQualifyingTouch:
      draft.lastQualifyingTouchAt === null ? null : wholeDaysBetween(draft.lastQualifyingTouchAt, asOf),
    silent: draft.silent,
    silentSince: draft.silentSince,
    touchpointCount: recorded.length,
    pillarBalance: (windowDays = DEFAULT_PILLAR_WINDOW_DAYS) => pillarBalance(recorded, asOf, windowDays),
    commitmentStats: commitmentStats(commitments, asOf),
    commitments,
    health,
    openAlerts,
    // Recording order is revision order, so a stable sort by business time breaks ties by revision.
    touchpoints: [...recorded].sort(byTime((touchpoint) => touchpoint.occurredAt)),
    timeline: draft.timeline.sort(byBusinessTimeThenRevision),
  };
}

function later(current: Date | null, candidate: Date): Date {
  return current === null || candidate.getTime() > current.getTime() ? candidate : current;
}

function byTime<T>(timeOf: (item: T) => Date): (a: T, b: T) => number {
  return (a, b) => timeOf(a).getTime() - timeOf(b).getTime();
}

function byBusinessTimeThenRevision(a: TimelineEntryView, b: TimelineEntryView): number {
  const byTimeDiff = a.occurredAt.getTime() - b.occurredAt.getTime();
  if (byTimeDiff !== 0) return byTimeDiff;
  return a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0;
}

/** Events as given when already in revision order (the usual case), else sorted. */
function inRevisionOrder(events: RecordedAccountEvent[]): RecordedAccountEvent[] {
  for (let i = 1; i < events.length; i += 1) {
    if (events[i - 1].revision > events[i].revision) {
      return events.sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0));
    }
  }
  return events;
}
