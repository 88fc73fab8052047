import { eq, sql } from 'drizzle-orm';

import { at, type Applier } from '../apply-context.js';

export const applyTouchpointRecorded: Applier<'TouchpointRecorded'> = async (
  { tx, tables, recordedAt },
  data,
) => {
  const { touchpoints, accounts } = tables;
  const occurredAt = at(data.occurredAt);
  const inserted = await tx
    .insert(touchpoints)
    .values({
      accountId: data.accountId,
      id: data.touchpointId,
      occurredAt,
      recordedAt,
      channel: data.channel,
      direction: data.direction,
      pillar: data.pillar,
      sentiment: data.sentiment,
      momentOfTruth: data.momentOfTruth,
      stage: data.stage,
      qualifying: data.qualifying,
      summary: data.summary,
      actorId: data.actorId,
      participants: [...data.participants],
      source: data.source,
      externalRef: data.externalRef,
    })
    .onConflictDoNothing()
    .returning({ id: touchpoints.id });
  if (inserted.length === 0) return;
  // Backfilled touches arrive out of business order: keep the latest (greatest ignores nulls).
  await tx
    .update(accounts)
    .set({
      touchpointCount: sql`${accounts.touchpointCount} + 1`,
      lastTouchpointAt: sql`greatest(${accounts.lastTouchpointAt}, ${occurredAt})`,
      ...(data.qualifying
        ? { lastQualifyingTouchAt: sql`greatest(${accounts.lastQualifyingTouchAt}, ${occurredAt})` }
        : {}),
    })
    .where(eq(accounts.id, data.accountId));
};
