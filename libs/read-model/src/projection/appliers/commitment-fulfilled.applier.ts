import { at, type Applier } from '../apply-context.js';
import { commitmentWhere } from './commitment-where.js';

export const applyCommitmentFulfilled: Applier<'CommitmentFulfilled'> = async ({ tx, tables }, data) => {
  const fulfilledAt = at(data.fulfilledAt);
  await tx
    .update(tables.commitments)
    .set({ status: 'FULFILLED', fulfilledAt, onTime: data.onTime, resolvedAt: fulfilledAt })
    .where(commitmentWhere(tables, data));
};
