import type { AccountEvent } from '#lifecycle';

import { at, type ApplyContext } from './apply-context.js';

/**
 * Records the event in the account's timeline. Returns false when it is already there: the
 * event was applied before, and its applier must not run again.
 */
export async function insertTimelineEntry(
  { tx, tables, eventId, recordedAt }: ApplyContext,
  event: AccountEvent,
  revision: bigint,
): Promise<boolean> {
  const data = event.data as AccountEvent['data'] & {
    readonly touchpointId?: string | null;
    readonly commitmentId?: string;
  };
  const touchpoint = event.type === 'TouchpointRecorded' ? event.data : undefined;
  const inserted = await tx
    .insert(tables.timelineEntries)
    .values({
      eventId,
      accountId: data.accountId,
      type: event.type,
      occurredAt: at(data.occurredAt),
      recordedAt,
      revision,
      data: data as unknown as Record<string, unknown>,
      touchpointId: data.touchpointId ?? null,
      commitmentId: data.commitmentId ?? null,
      channel: touchpoint?.channel ?? null,
      pillar: touchpoint?.pillar ?? null,
    })
    .onConflictDoNothing()
    .returning({ eventId: tables.timelineEntries.eventId });
  return inserted.length > 0;
}
