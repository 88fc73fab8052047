import type { Channel, Pillar } from '#lifecycle';
import type { TimelineEntryView } from '#lifecycle-views';

import { checkPageSize, decodeTimelineCursor, encodeTimelineCursor } from './timeline-cursor.js';

export interface TimelineQuery {
  readonly first: number;
  readonly after: string | null;
  /** Touchpoints of these channels only (other entries are left out when set). */
  readonly channels: readonly Channel[] | null;
  readonly pillars: readonly Pillar[] | null;
  /** Business time, inclusive. */
  readonly from: Date | null;
  readonly to: Date | null;
}

/** Filters the (already ordered) timeline and cuts one page after the cursor. */
export function pageTimeline(
  entries: readonly TimelineEntryView[],
  query: TimelineQuery,
  maxPageSize: number,
) {
  checkPageSize(query.first, maxPageSize);
  const after = query.after ? decodeTimelineCursor(query.after) : undefined;
  const touchFilter = Boolean(query.channels?.length || query.pillars?.length);
  const matching = entries.filter((e) => {
    const at = e.occurredAt.getTime();
    if (query.from && at < query.from.getTime()) return false;
    if (query.to && at > query.to.getTime()) return false;
    if (after && (at < after.at || (at === after.at && e.revision <= after.revision))) return false;
    if (!touchFilter) return true;
    const t = e.touchpoint;
    if (!t) return false;
    return (
      (!query.channels?.length || query.channels.includes(t.channel)) &&
      (!query.pillars?.length || query.pillars.includes(t.pillar))
    );
  });
  const page = matching.slice(0, query.first);
  return timelineConnection(page, matching.length > page.length);
}

/** A page of timeline entries as the connection shows it: each with its cursor. */
export function timelineConnection<E extends { occurredAt: Date; revision: bigint }>(
  entries: readonly E[],
  hasNextPage: boolean,
) {
  const edges = entries.map((node) => ({ cursor: encodeTimelineCursor(node), node }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
}
