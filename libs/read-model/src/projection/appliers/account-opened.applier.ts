import { effectiveCadenceDays, phaseOf } from '#lifecycle';

import { at, type Applier } from '../apply-context.js';

export const applyAccountOpened: Applier<'AccountOpened'> = async ({ tx, tables }, events) => {
  if (events.length === 0) return;
  const opened = events.map(({ data, recordedAt }) => ({ data, recordedAt, openedAt: at(data.openedAt) }));
  await tx
    .insert(tables.accounts)
    .values(
      opened.map(({ data, recordedAt, openedAt }) => ({
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
        // Placeholders until refreshAccounts runs at the end of the batch.
        healthScore: 0,
        healthBand: 'RED' as const,
        healthAsOf: recordedAt,
        updatedAt: recordedAt,
      })),
    )
    .onConflictDoNothing();
  await tx
    .insert(tables.stageVisits)
    .values(
      opened.map(({ data, openedAt }) => ({
        accountId: data.accountId,
        seq: 0,
        stage: data.stage,
        fromStage: null,
        enteredAt: openedAt,
      })),
    )
    .onConflictDoNothing();
};
