import { at, type Applier } from '../apply-context.js';
import { commitmentWhere } from './commitment-where.js';

export const applyCommitmentCancelled: Applier<'CommitmentCancelled'> = async ({ tx, tables }, data) => {
  const cancelledAt = at(data.occurredAt);
  await tx
    .update(tables.commitments)
    .set({ status: 'CANCELLED', cancelledAt, cancelReason: data.reason, resolvedAt: cancelledAt })
    .where(commitmentWhere(tables, data));
};
