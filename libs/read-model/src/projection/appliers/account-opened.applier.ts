import { effectiveCadenceDays, phaseOf } from '#lifecycle';

import { at, type Applier } from '../apply-context.js';

export const applyAccountOpened: Applier<'AccountOpened'> = async ({ tx, tables, recordedAt }, data) => {
  const openedAt = at(data.openedAt);
  await tx
    .insert(tables.accounts)
    .values({
      id: data.accountId,
      name: data.name,
      tier: data.tier,
      ownerId: data.ownerId,
      stage: data.stage,
      phase: phaseOf(data.stage),
      stageEnteredAt: openedAt,
      openedAt,
      cadenceDays: data.cadenceDays,
      effectiveCadenceDays: effectiveCadenceDays(data),
      // Placeholders until refreshAccount runs at the end of the batch.
      healthScore: 0,
      healthBand: 'RED',
      healthAsOf: recordedAt,
      updatedAt: recordedAt,
    })
    .onConflictDoNothing();
  await tx
    .insert(tables.stageVisits)
    .values({ accountId: data.accountId, seq: 0, stage: data.stage, fromStage: null, enteredAt: openedAt })
    .onConflictDoNothing();
};
