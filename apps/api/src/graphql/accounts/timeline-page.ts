import type { Channel, Pillar } from '#lifecycle';
import type { TimelineEntryView } from '#lifecycle-views';

import { badUserInput } from '../../http/validation.js';

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

/** The cursor names an entry by its place in the order (business time, then revision), so a page never skips or repeats. */
const encode = (e: TimelineEntryView) =>
  Buffer.from(`${e.occurredAt.getTime()}:${e.revision}`).toString('base64url');

function decode(cursor: string): { at: number; revision: bigint } {
  const [at, revision] = Buffer.from(cursor, 'base64url').toString().split(':');
  if (!/^\d+$/.test(at ?? '') || !/^\d+$/.test(revision ?? '')) {
    throw badUserInput([{ path: 'after', message: 'is not a cursor this field returned' }]);
  }
  return { at: Number(at), revision: BigInt(revision) };
}

/** Filters the (already ordered) timeline and cuts one page after the cursor. */
export function pageTimeline(
  entries: readonly TimelineEntryView[],
  query: TimelineQuery,
  maxPageSize: number,
) {
  if (!Number.isInteger(query.first) || query.first < 0 || query.first > maxPageSize) {
    throw badUserInput([{ path: 'first', message: `must be a whole number from 0 to ${maxPageSize}` }]);
  }
  const after = query.after ? decode(query.after) : undefined;
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
  return {
    edges: page.map((node) => ({ cursor: encode(node), node })),
    pageInfo: {
      hasNextPage: matching.length > page.length,
      endCursor: page.length ? encode(page[page.length - 1]) : null,
    },
  };
}
