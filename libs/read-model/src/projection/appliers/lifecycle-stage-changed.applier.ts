import { and, eq, isNull, sql } from 'drizzle-orm';

import { isExited, phaseOf } from '#lifecycle';

import { at, type Applier } from '../apply-context.js';

export const applyLifecycleStageChanged: Applier<'LifecycleStageChanged'> = async ({ tx, tables }, data) => {
  const { stageVisits, accounts } = tables;
  const occurredAt = at(data.occurredAt);
  await tx
    .update(stageVisits)
    .set({ exitedAt: occurredAt, toStage: data.to })
    .where(and(eq(stageVisits.accountId, data.accountId), isNull(stageVisits.exitedAt)));
  const [{ next }] = await tx
    .select({ next: sql<number>`coalesce(max(${stageVisits.seq}) + 1, 0)::int` })
    .from(stageVisits)
    .where(eq(stageVisits.accountId, data.accountId));
  await tx.insert(stageVisits).values({
    accountId: data.accountId,
    seq: next,
    stage: data.to,
    fromStage: data.from,
    enteredAt: occurredAt,
    reason: data.reason,
    lessons: data.lessons,
  });
  const exits = isExited(data.to);
  await tx
    .update(accounts)
    .set({
      stage: data.to,
      phase: phaseOf(data.to),
      stageEnteredAt: occurredAt,
      // EXITED accounts are never silent.
      ...(exits ? { silent: false, silentSince: null } : {}),
    })
    .where(eq(accounts.id, data.accountId));
};
