import { at, type Applier } from '../apply-context.js';
import { commitmentWhere } from './commitment-where.js';

export const applyCommitmentMissed: Applier<'CommitmentMissed'> = async ({ tx, tables }, data) => {
  const missedAt = at(data.occurredAt);
  await tx
    .update(tables.commitments)
    .set({ status: 'MISSED', missedAt, resolvedAt: missedAt })
    .where(commitmentWhere(tables, data));
};
