import { type AccountEvent, DEFAULT_CADENCE_DAYS, type Tier } from '#lifecycle';

import { isoDate } from '../shared/time-window.js';

const MAX_TEXT = 160;

/** Free text on one line, capped, so a summary never spills. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_TEXT ? flat : `${flat.slice(0, MAX_TEXT - 1)}…`;
}

export type SummaryContext = {
  readonly tier: Tier;
  /** The commitment's title when it is known, for events that carry only its id. */
  readonly commitmentTitle: (commitmentId: string) => string | undefined;
};

/** The timeline's one-line summary of an account event. */
export function summarizeEvent(event: AccountEvent, context: SummaryContext): string {
  const titleOf = (commitmentId: string): string => {
    const title = context.commitmentTitle(commitmentId);
    return title === undefined ? `commitment ${commitmentId}` : `"${oneLine(title)}"`;
  };
  const cadence = (days: number | null): string =>
    days === null ? `tier default (${DEFAULT_CADENCE_DAYS[context.tier]} days)` : `${days} days`;
  switch (event.type) {
    case 'AccountOpened': {
      const { name, tier, stage, ownerId, cadenceDays } = event.data;
      const agreed = cadenceDays === null ? '' : `, cadence ${cadenceDays} days`;
      return `Opened ${oneLine(name)} (${tier}) in ${stage}, owner ${ownerId}${agreed}`;
    }
    case 'LifecycleStageChanged': {
      const { from, to, reason, lessons } = event.data;
      return (
        `Stage ${from} → ${to}` +
        (reason ? `: ${oneLine(reason)}` : '') +
        (lessons ? `; lessons: ${oneLine(lessons)}` : '')
      );
    }
    case 'AccountOwnerAssigned':
      return `Owner ${event.data.previousOwnerId} → ${event.data.ownerId}`;
    case 'AccountCadenceSet':
      return `Cadence ${cadence(event.data.previousCadenceDays)} → ${cadence(event.data.cadenceDays)}`;
    case 'TouchpointRecorded': {
      const { direction, channel, pillar, sentiment, momentOfTruth, summary } = event.data;
      const traits = [pillar, sentiment, momentOfTruth ? 'moment of truth' : null].filter(Boolean);
      return `${direction} ${channel} (${traits.join(', ')})` + (summary ? `: ${oneLine(summary)}` : '');
    }
    case 'CommitmentMade':
      return `Committed "${oneLine(event.data.title)}", due ${isoDate(new Date(event.data.dueAt))}`;
    case 'CommitmentFulfilled': {
      const { onTime, lateAfterMissed, commitmentId } = event.data;
      const how = onTime ? 'on time' : lateAfterMissed ? 'late, after it was missed' : 'late';
      return `Fulfilled ${titleOf(commitmentId)} ${how}`;
    }
    case 'CommitmentRenegotiated': {
      const { commitmentId, previousDueAt, newDueAt, reason } = event.data;
      return `Renegotiated ${titleOf(commitmentId)}: due ${isoDate(new Date(previousDueAt))} → ${isoDate(new Date(newDueAt))} (${oneLine(reason)})`;
    }
    case 'CommitmentCancelled':
      return `Cancelled ${titleOf(event.data.commitmentId)}: ${oneLine(event.data.reason)}`;
    case 'CommitmentMissed':
      return `Missed ${titleOf(event.data.commitmentId)} (due ${isoDate(new Date(event.data.dueAt))})`;
    case 'AccountWentSilent':
      return `Went silent: no qualifying touch since ${isoDate(new Date(event.data.silentSince))} (cadence ${event.data.cadenceDays} days)`;
    case 'AccountReEngaged':
      return `Re-engaged after ${event.data.silentForDays} days without a qualifying touch`;
    default: {
      const _exhaustive: never = event;
      return String((event as { type?: unknown }).type);
    }
  }
}
